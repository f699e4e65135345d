// Fuzzes `heat-record import` with mutants of the real tracer outputs in fixtures/: bytes flipped,
// lines cut, dropped, repeated or swapped, numbers made huge, unicode put in, 1 MB lines. Every
// mutant must either import (a finished recording, nothing else left beside it) or be refused
// with a HeatError of one line: no other exception (an internal error, exit 70), no hang.
// Mutants run in-process through importTrace for speed; a few go through the built binary to
// check exit codes and one-line stderr as a user sees them.

import fc from 'fast-check';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importTrace, type ImportSummary } from '../../cli/import/import-recording.js';
import { HeatError } from '../../cli/model/heat-error.js';
import { packageRoot } from '../../cli/package-root.js';
import { RecordingReader } from '../../cli/store/recording-reader.js';
import { runCli } from '../helpers/cli.js';

/** Mutants through importTrace: ~10 ms each. HEAT_FUZZ_RUNS / HEAT_FUZZ_SEED explore further than CI's fixed run. */
const RUNS = Number(process.env.HEAT_FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.HEAT_FUZZ_SEED ?? 20261206);
/** One mutant may take this long before it counts as a hang: 1 MB lines take ~0.3 s alone, ~1.5 s at load 15 on 2 cores; a quadratic regex on one takes minutes. */
const HANG_MS = 10_000;
/** Seeds are cut to this many characters (at a line end) so a mutant imports in milliseconds. */
const SEED_CHARS = 6000;
const ONE_MB = 1 << 20;

const SEED_FILES = [
  'bpftrace-0.17/02-hist.json',
  'bpftrace-0.17/02-hist.txt',
  'bpftrace-0.17/06-interval-print.json',
  'bpftrace-0.17/06-interval-print.txt',
  'bpftrace-0.17/09-hist-edges.json',
  'bpftrace-0.17/09-hist-edges.txt',
  'bpftrace-0.17/05-multikey.json',
  'bpftrace-0.17/01-lhist.txt',
  'dtrace-linux/out-walltime.txt',
  'dtrace-linux/out-lquantize.txt',
  'dtrace-linux/out-llquantize.txt',
  'dtrace-linux/out-demo2011-timestamp.txt',
  'dtrace-real/dtrace-utils-aggs-tst.allquant.txt',
  'dtrace-real/dtrace-utils-aggs-tst.neglquant.txt',
  'dtrace-real/dtrace-utils-aggs-tst.llquantize_basic.txt',
  'dtrace-real/illumos-llquantize-tst.multiaggs.txt',
  'dtrace-real/dtrace-utils-printa-tst.basics.txt',
  'dtrace-layout/quantize-by-string.printa-per-second.txt',
];
const seeds = SEED_FILES.map((f) =>
  cutAtLine(readFileSync(join(packageRoot(), 'test/fixtures', f), 'utf8'), SEED_CHARS),
);

function cutAtLine(text: string, chars: number): string {
  if (text.length <= chars) return text;
  return text.slice(0, text.indexOf('\n', chars) + 1 || text.length);
}

/** tmpfs where there is one: the writer's fsyncs cost ~100 ms a file on a disk, nothing there. */
const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'heat-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Mutation = (lines: string[]) => void;

const at = (n: number, length: number) => (length === 0 ? 0 : n % length);
const HUGE = [
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '-9223372036854775809',
  '18446744073709551616',
  '1'.repeat(40),
  '-0',
  '00000000000000000001',
];

/** One edit of the text's lines. Weights keep the costly 1 MB lines rare. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.nat(), fc.nat(), fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }))
      .map(
        ([l, c, ch]) =>
          (ls: string[]) =>
            flip(ls, l, c, ch),
      ),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.nat(), fc.nat()).map(
      ([l, c]) =>
        (ls: string[]) =>
          void (ls[at(l, ls.length)] = (ls[at(l, ls.length)] ?? '').slice(0, c % 80)),
    ),
  },
  {
    weight: 3,
    arbitrary: fc.nat().map((l) => (ls: string[]) => void ls.splice(at(l, ls.length), 1)),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 1, max: 50 })).map(
      ([l, n]) =>
        (ls: string[]) =>
          void ls.splice(at(l, ls.length), 0, ...Array<string>(n).fill(ls[at(l, ls.length)] ?? '')),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.nat(), fc.nat()).map(
      ([a, b]) =>
        (ls: string[]) =>
          swap(ls, at(a, ls.length), at(b, ls.length)),
    ),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.nat(), fc.nat(), fc.oneof(fc.constantFrom(...HUGE), fc.bigInt().map(String)))
      .map(
        ([l, k, n]) =>
          (ls: string[]) =>
            hugeNumber(ls, l, k, n),
      ),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.nat(), fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }))
      .map(
        ([l, c, u]) =>
          (ls: string[]) =>
            insert(ls, l, c, u),
      ),
  },
  { weight: 2, arbitrary: fc.nat().map((n) => (ls: string[]) => void ls.splice(at(n, ls.length))) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.nat(), fc.nat()).map(
      ([l, c]) =>
        (ls: string[]) =>
          megabyteLine(ls, l, c),
    ),
  },
);

function flip(ls: string[], l: number, c: number, ch: string): void {
  const i = at(l, ls.length);
  const line = ls[i] ?? '';
  const j = at(c, line.length);
  ls[i] = line.slice(0, j) + ch + line.slice(j + 1);
}

function swap(ls: string[], a: number, b: number): void {
  [ls[a], ls[b]] = [ls[b] ?? '', ls[a] ?? ''];
}

/** Replaces the k-th number of a line holding numbers. */
function hugeNumber(ls: string[], l: number, k: number, n: string): void {
  const withNumbers = ls.map((line, i) => i).filter((i) => /\d/.test(ls[i]!));
  if (withNumbers.length === 0) return;
  const i = withNumbers[at(l, withNumbers.length)]!;
  const runs = [...ls[i]!.matchAll(/-?\d+/g)];
  const m = runs[at(k, runs.length)]!;
  ls[i] = ls[i]!.slice(0, m.index) + n + ls[i]!.slice(m.index + m[0].length);
}

function insert(ls: string[], l: number, c: number, text: string): void {
  const i = at(l, ls.length);
  const line = ls[i] ?? '';
  const j = at(c, line.length + 1);
  ls[i] = line.slice(0, j) + text + line.slice(j);
}

/** A 1 MB line made by repeating one of the text's own lines (a row, a key, a JSON object). */
function megabyteLine(ls: string[], l: number, c: number): void {
  const unit = ls[at(l, ls.length)] || '9';
  ls.splice(at(c, ls.length + 1), 0, unit.repeat(Math.ceil(ONE_MB / unit.length)));
}

const mutant = fc
  .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([seed, edits]) => {
    const lines = seed.split('\n');
    for (const edit of edits) edit(lines);
    return lines.join('\n');
  });

interface Tally {
  imported: number;
  refused: number;
  skippedLines: number;
  slowestMs: number;
}

/** Imports one mutant in-process; anything but success or a one-line HeatError fails the property. */
function importMutant(text: string, n: number, tally: Tally): void {
  const input = join(dir, `m${n}.txt`);
  const output = join(dir, `m${n}.db`);
  writeFileSync(input, text);
  const started = performance.now();
  try {
    const summary = importOrRefuse(input, output);
    const ms = performance.now() - started;
    tally.slowestMs = Math.max(tally.slowestMs, ms);
    expect(ms, 'one mutant hung').toBeLessThan(HANG_MS);
    if (summary === null) {
      tally.refused++;
      expect(readdirSync(dir)).toEqual([`m${n}.txt`]);
      return;
    }
    tally.imported++;
    tally.skippedLines += summary.skipped.length;
    expect(readdirSync(dir).sort()).toEqual([`m${n}.db`, `m${n}.txt`]);
    checkFinished(output);
  } finally {
    rmSync(input, { force: true });
    rmSync(output, { force: true });
  }
}

/** The import's summary, or null when it refused the input with a one-line HeatError; anything else is thrown on. */
function importOrRefuse(input: string, output: string): ImportSummary | null {
  try {
    return importTrace(input, output, { commandLine: ['fuzz'] });
  } catch (err) {
    if (!(err instanceof HeatError)) throw err;
    expect(err.toLine()).not.toMatch(/\n/);
    return null;
  }
}

/** A finished recording that the CLI's strict reader takes whole: every page, row, count and rollup. */
function checkFinished(path: string): void {
  const reader = RecordingReader.open(path);
  try {
    reader.verify();
    reader.totals();
    expect(reader.meta().status).toBe('complete');
    expect(reader.seconds().length).toBeGreaterThan(0);
  } finally {
    reader.close();
  }
}

describe('import fuzz: mutants of the real fixtures', () => {
  it(`${RUNS} mutants in-process: each imports or is refused in one line; 0 internal errors, 0 hangs`, () => {
    const tally: Tally = { imported: 0, refused: 0, skippedLines: 0, slowestMs: 0 };
    let n = 0;
    fc.assert(
      fc.property(mutant, (text) => importMutant(text, n++, tally)),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(
      `import fuzz: ${n} mutants, ${tally.imported} imported (${tally.skippedLines} junk lines skipped and counted), ${tally.refused} refused in one line, slowest ${tally.slowestMs.toFixed(0)} ms`,
    );
    expect(tally.imported).toBeGreaterThan(RUNS / 4); // most edits leave a readable file: the mutants reach the writer
    expect(tally.refused).toBeGreaterThan(0);
  }, 120_000);

  it('a few mutants through the built binary: exit 0 or 1, every stderr line one "heat-record:" line, a refusal one line', async () => {
    const sampled = fc.sample(mutant, { numRuns: 6, seed: 7 });
    const cases = [
      ...sampled,
      readFileSync(
        join(packageRoot(), 'test/fixtures/dtrace-real/dtrace-utils-aggs-tst.negquant.txt'),
        'utf8',
      ),
      `${'{"type": "hist"'.repeat(70_000)}\n`,
    ];
    for (const [i, text] of cases.entries()) {
      const input = join(dir, `cli${i}.txt`);
      writeFileSync(input, text);
      const result = await runCli(['import', input, '-o', join(dir, `cli${i}.db`)]);
      const lines = result.stderr.trimEnd().split('\n');
      expect([0, 1], result.stderr).toContain(result.code);
      expect(
        lines.every((l) => l.startsWith('heat-record: ')),
        result.stderr,
      ).toBe(true);
      expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
      expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/); // nothing a terminal acts on
      if (result.code === 1) expect(lines).toHaveLength(1);
    }
  }, 60_000);
});
