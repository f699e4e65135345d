// Sums vitest JSON reports (one per test tier) into the one line CI reads:
// "N passed, N failed[, N skipped]". A missing or unreadable report counts as one failure, so a
// tier that crashed before writing its report never looks green.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const path of process.argv.slice(2)) {
  try {
    const report = JSON.parse(readFileSync(path, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests + filesFailedWithoutTests(report);
    skipped += report.numPendingTests + report.numTodoTests;
  } catch (err) {
    console.log(`no test report ${path} (${err.message})`);
    failed += 1;
  }
}
// Skips (a tracer this machine cannot have, outside CI) are named on the same line.
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);

/** Test files that failed before any test could (an import error, a failing hook): one failure each. */
function filesFailedWithoutTests(report) {
  return report.testResults.filter(
    (f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'),
  ).length;
}
