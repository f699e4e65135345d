// Random mutants of a real recording (fast-check: hostile values written into random cells, bytes
// overwritten) through every command that reads a recording, run in-process through heat-record's
// own entry and error funnel (a child process per run would make thousands of runs take
// minutes): each run exits 0, or 1 with one stderr line naming the file; never 70.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { writeSyntheticRecording } from '../helpers/recordings.js';
import { randomMutation, writeRandomMutant } from '../helpers/malformed-recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir('heat-random-mutants-');
/** HEAT_FUZZ_SEED and HEAT_FUZZ_RUNS explore beyond CI's fixed sample. */
const SEED = Number(process.env.HEAT_FUZZ_SEED ?? 42);
const RUNS = Number(process.env.HEAT_FUZZ_RUNS ?? 700);
const good = tmp('good.db');

const COMMANDS: ((f: string) => string[])[] = [
  (f) => ['info', '--json', f],
  (f) => ['info', f],
  (f) => ['export', f, '--format', 'csv'],
  (f) => ['export', f, '--format', 'json'],
  (f) => ['export', f, '--html', `${f}.html`],
  (f) => ['clip', f, '--from', '3', '-f', '-o', `${f}.clip.db`],
  (f) => ['merge', good, f, '-f', '-o', `${f}.merge.db`],
];

interface Run {
  code: number;
  stderr: string;
}

const realWrite = { out: process.stdout.write, err: process.stderr.write };

/** Runs heat-record in this process with stdout dropped and stderr captured. */
async function heatRecord(args: string[]): Promise<Run> {
  let stderr = '';
  process.exitCode = 0;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await main(['node', 'heat-record', ...args]);
  } finally {
    process.stdout.write = realWrite.out;
    process.stderr.write = realWrite.err;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stderr };
}

beforeAll(() => {
  writeSyntheticRecording(good, 60, { keys: 3, seed: 11 });
});

afterAll(() => {
  process.exitCode = 0;
});

describe('random mutants through every command', () => {
  it('exit 0, or 1 with one line naming the file; never an internal error (fast-check)', async () => {
    const seen = { runs: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(randomMutation, { minLength: 1, maxLength: 3 }),
        fc.nat(COMMANDS.length - 1),
        async (mutations, which) => {
          const file = tmp(`mutant-${seen.runs++}.db`);
          writeRandomMutant(good, file, mutations);
          const run = await heatRecord(COMMANDS[which]!(file));
          if (run.code === 1) seen.refused++;
          expect(
            run.code === 0 ||
              (run.code === 1 &&
                run.stderr.trim().split('\n').length === 1 &&
                run.stderr.includes(file)),
            `exit ${run.code}: ${run.stderr}`,
          ).toBe(true);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    expect(seen.runs).toBe(RUNS);
    expect(seen.refused).toBeGreaterThan(RUNS / 7);
  });
});
