// import, clip and merge through a pseudo-terminal (script(1)) show a progress line rewritten in
// place and cleared before the closing line; piped, or with --quiet, they print none.

import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, runOnTerminal } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

/** bpftrace -f json output: `intervals` prints of one hist map of 20 keys, one a second. */
function writeTrace(path: string, intervals: number): void {
  const keys = Object.fromEntries(
    Array.from({ length: 20 }, (_, k) => [
      String(k),
      [
        { min: 1, max: 1, count: k + 1 },
        { min: 2, max: 3, count: 5 },
        { min: 4, max: 7, count: 2 },
      ],
    ]),
  );
  const line = JSON.stringify({ type: 'hist', data: { '@lat_us': keys } });
  writeFileSync(path, `${Array(intervals).fill(line).join('\n')}\n`);
}

/** Runs `args` on a terminal, piped and on a terminal with --quiet; checks the progress line of each. */
async function expectProgressOnlyOnTerminal(
  args: (run: string) => string[],
  progress: RegExp,
): Promise<void> {
  const shown = runOnTerminal(args('terminal'));
  expect(shown).toMatch(progress);
  expect(shown).toMatch(/ {2}~\d+ (s|min) left/);
  expect(shown).toMatch(/\r\x1b\[Kheat-record: /); // cleared before the closing line
  const piped = await runCli(args('piped'));
  expect(piped.code, piped.stderr).toBe(0);
  expect(piped.stderr + piped.stdout).not.toMatch(/ % /);
  expect(runOnTerminal([...args('quiet'), '--quiet'])).not.toMatch(progress);
}

describe('progress line of import, clip and merge', () => {
  const recording = tmp('six-hours.db');

  beforeAll(async () => {
    const made = await runCli([
      '-o',
      recording,
      '--tracer',
      'synthetic',
      '--fast',
      '--duration',
      '6h',
      '--quiet',
    ]);
    expect(made.code, made.stderr).toBe(0);
  }, 120_000);

  it("import: intervals written of the trace's", { timeout: 240_000 }, async () => {
    const trace = tmp('trace.json');
    writeTrace(trace, 12_000);
    await expectProgressOnlyOnTerminal(
      (run) => ['import', trace, '-o', tmp(`${run}-import.db`)],
      /import \S+ {2}\d+ % {2}\d+\/12000 intervals/,
    );
  });

  it("clip: seconds written of the window's", { timeout: 240_000 }, async () => {
    await expectProgressOnlyOnTerminal(
      (run) => ['clip', recording, '--from', '1h', '-o', tmp(`${run}-clip.db`)],
      /clip \S+ {2}\d+ % {2}\d+\/18000 s/,
    );
  });

  it('merge: merged seconds of the span', { timeout: 240_000 }, async () => {
    const other = tmp('other.db');
    expect(
      (
        await runCli([
          '-o',
          other,
          '--tracer',
          'synthetic',
          '--fast',
          '--duration',
          '2h',
          '--quiet',
        ])
      ).code,
    ).toBe(0);
    await expectProgressOnlyOnTerminal(
      (run) => ['merge', recording, other, '-o', tmp(`${run}-merge.db`)],
      /merge into \S+ {2}\d+ % {2}\d+\/\d+ s/,
    );
  });
});
