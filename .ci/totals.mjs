// Prints vitest's JSON report as the one line CI reads: "N passed, N failed".
// A missing or unreadable report counts as one failure, so a crash never looks green.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests + (report.numFailedTestSuites ?? 0) - failedSuitesWithTests(report);
  skipped = report.numPendingTests + report.numTodoTests;
} catch (err) {
  console.log(`no test report (${err.message})`);
  failed = 1;
}
if (skipped > 0) console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);

/** Suites that failed only because a test in them failed are already counted in numFailedTests. */
function failedSuitesWithTests(report) {
  return report.testResults.filter((s) => s.status === 'failed' && s.assertionResults.some((a) => a.status === 'failed')).length;
}
