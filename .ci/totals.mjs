// Sums vitest JSON reports (one per test tier) into the one line CI reads:
// "N passed, N failed[, N skipped]". A missing or unreadable report counts as one failure, so a
// tier that crashed before writing its report never looks green. Each failure is named (file, test,
// first lines of its message) just above that line: CI keeps only the end of the log.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const path of process.argv.slice(2)) {
  try {
    const report = JSON.parse(readFileSync(path, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests + filesFailedWithoutTests(report).length;
    skipped += report.numPendingTests + report.numTodoTests;
    failures.push(...namedFailures(report));
  } catch (err) {
    console.log(`no test report ${path} (${err.message})`);
    failed += 1;
  }
}
for (const line of failures) console.log(line);
// Skips (a tracer this machine cannot have, outside CI) are named on the same line.
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);

/** Test files that failed before any test could (an import error, a failing hook): one failure each. */
function filesFailedWithoutTests(report) {
  return report.testResults.filter(
    (f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'),
  );
}

function namedFailures(report) {
  const lines = [];
  for (const file of report.testResults) {
    const name = relative(process.cwd(), file.name);
    for (const test of file.assertionResults.filter((a) => a.status === 'failed')) {
      lines.push(`FAILED ${name} > ${test.fullName}`, ...firstLines(test.failureMessages));
    }
  }
  for (const file of filesFailedWithoutTests(report)) {
    lines.push(
      `FAILED ${relative(process.cwd(), file.name)} (before any test)`,
      ...firstLines([file.message]),
    );
  }
  return lines;
}

function firstLines(messages) {
  const text = (messages ?? []).join('\n').replace(/\x1b\[[0-9;]*m/g, '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 6)
    .map((l) => `    ${l.slice(0, 200)}`);
}
