// The viewer's loader (openRecording, and openInParts for large files) on the malformed-recordings
// corpus and on random mutants (fast-check), in Node with sql.js: every file either opens or is
// refused with a RecordingError of one line naming it; an opened one reads every view without an
// exception, damaged rows reported through readFailed (the banner) as RecordingErrors. Items 6-7 of
// issue 12: bad counts JSON gives the banner, t = 9e9 is refused before anything is sized by it,
// negative counts are drawn as zero and noted in the health list.

import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openInParts, openRecording } from '../../../viewer/src/load/open-recording.js';
import { RecordingError } from '../../../viewer/src/load/recording-error.js';
import { sqlEngine, type SqlEngine } from '../../../viewer/src/load/sql-engine.js';
import { ALL_KEYS, isolate } from '../../../viewer/src/model/key-selection.js';
import type { Recording } from '../../../viewer/src/model/recording.js';
import { DetailPending } from '../../../viewer/src/model/recording-source.js';
import {
  randomMutation,
  writeMalformedRecordings,
  writeRandomMutant,
} from '../../helpers/malformed-recordings.js';
import { useTempDir } from '../../helpers/temp-dir.js';
import { recordSynthetic, REPO_ROOT } from '../helpers/recordings.js';

const tmp = useTempDir('viewer-malformed-');
/** HEAT_FUZZ_SEED and HEAT_FUZZ_RUNS explore beyond CI's fixed sample. */
const SEED = Number(process.env.HEAT_FUZZ_SEED ?? 12);
const RUNS = Number(process.env.HEAT_FUZZ_RUNS ?? 200);
const good = tmp('good.db');
let engine: SqlEngine;
let corpus: Map<string, string>;

beforeAll(async () => {
  engine = await sqlEngine({
    bytes: readFileSync(join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm')),
  });
  await recordSynthetic(good, { seconds: 130, keys: 4, seed: 5 });
  corpus = writeMalformedRecordings(good, tmp(''));
});

interface Outcome {
  /** Why it was not opened (a RecordingError), or null. */
  refused: RecordingError | null;
  /** Damaged rows met while reading views (what the banner shows). */
  failures: unknown[];
  recording: Recording | null;
}

/** Opens bytes whole (or in parts) and reads every view a person can ask for. Anything thrown that is not a RecordingError fails the test. */
async function openAndRead(bytes: Uint8Array, name: string, inParts = false): Promise<Outcome> {
  let rec: Recording | null;
  try {
    const source = {
      size: bytes.length,
      read: async (at: number, n: number) => bytes.slice(at, at + n),
    };
    rec = inParts
      ? await openInParts(source, name, undefined, engine)
      : await openRecording(bytes, name, engine);
  } catch (err) {
    if (!(err instanceof RecordingError)) throw err;
    return { refused: err, failures: [], recording: null };
  }
  const failures: unknown[] = [];
  if (!rec) return { refused: null, failures, recording: null };
  rec.readFailed.subscribe((err) => failures.push(err));
  await readEveryView(rec);
  return { refused: null, failures, recording: rec };
}

async function readEveryView(rec: Recording): Promise<void> {
  const windows = [
    [rec.t0, rec.end],
    [rec.t0, rec.t0 + 30],
    [rec.t0 + 60, rec.t0 + 70],
  ] as const;
  const selections = [ALL_KEYS, ...rec.seriesIds.map((id) => isolate([id], rec.seriesIds))];
  for (const sel of selections) {
    for (const [from, to] of windows) {
      const grid = rec.counts(sel).gridFor(from, to, 400);
      grid.sumInto(from, to, new Float64Array(grid.rows));
    }
    await settled(() => rec.grid(sel).total(rec.t0, rec.end));
  }
  await settled(() => rec.keyTotals());
  await settled(() => rec.seriesCounts(rec.t0, rec.end));
}

/** Runs a read of a file opened in parts until its parts are in hand (a failed fetch is reported through readFailed). */
async function settled(read: () => unknown): Promise<void> {
  for (;;) {
    try {
      read();
      return;
    } catch (err) {
      if (!(err instanceof DetailPending)) throw err;
      if (
        !(await err.ready.then(
          () => true,
          () => false,
        ))
      )
        return;
    }
  }
}

/** A RecordingError is one line that starts with the file's name. */
function isOneLineNaming(err: unknown, name: string): boolean {
  return (
    err instanceof RecordingError &&
    !err.message.includes('\n') &&
    err.message.startsWith(`${name}: `) &&
    err.file === name
  );
}

describe('the viewer loader on the malformed corpus', () => {
  it('opens or refuses every mutant in one line naming it, read whole and in parts, and reads every view of what it opens', async () => {
    const problems: string[] = [];
    for (const [name, file] of corpus) {
      for (const inParts of [false, true]) {
        const label = `${name}${inParts ? ' (in parts)' : ''}`;
        const outcome = await openAndRead(readFileSync(file), `${name}.db`, inParts);
        if (outcome.refused && !isOneLineNaming(outcome.refused, `${name}.db`))
          problems.push(`${label}: ${outcome.refused.message}`);
        for (const f of outcome.failures)
          if (!isOneLineNaming(f, `${name}.db`)) problems.push(`${label}: ${String(f)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(corpus.size).toBeGreaterThan(60);
  });

  it('bad counts JSON, in hist or in the rollups, reaches the banner naming the second', async () => {
    for (const name of [
      'counts-not-json',
      'counts-array',
      'counts-string-values',
      'counts-proto-key',
      'counts-injected-row',
    ]) {
      const outcome = await openAndRead(readFileSync(corpus.get(name)!), `${name}.db`);
      const reported = [outcome.refused, ...outcome.failures].filter(Boolean) as RecordingError[];
      expect(reported.length, name).toBeGreaterThan(0);
      expect(reported[0]!.problem, name).toBe('damaged');
      if (name !== 'counts-injected-row')
        expect(reported[0]!.message, name).toMatch(/second 5, series \d+/);
    }
    const garbage = await openAndRead(
      readFileSync(corpus.get('counts-garbage-every-row')!),
      'all.db',
    );
    expect([garbage.refused, ...garbage.failures].filter(Boolean).length).toBeGreaterThan(0);
    const rollup = await openAndRead(
      readFileSync(corpus.get('rollup-counts-garbage')!),
      'rollup.db',
    );
    expect((rollup.failures[0] as RecordingError).message).toMatch(
      /^rollup\.db: the file is damaged: the counts of second \d+, series 0 are not JSON/,
    );
  });

  it('a second at t = 9,000,000,000 is refused before anything is sized by it', async () => {
    for (const name of ['second-t-9e9', 'second-t-negative', 'second-t-text']) {
      const outcome = await openAndRead(readFileSync(corpus.get(name)!), 'huge-t.db');
      expect(outcome.refused?.problem, name).toBe('damaged');
      expect(outcome.refused?.message, name).toMatch(
        /^huge-t\.db: the file is damaged: it has a second t = .*; seconds run from 0 to 31622399/,
      );
    }
  });

  it('a rollup state of -10^12 or 9e9 is ignored and the rollups rebuilt, not looped over', async () => {
    for (const name of ['rollup-state-garbage', 'rollup-state-huge']) {
      const outcome = await openAndRead(readFileSync(corpus.get(name)!), `${name}.db`);
      expect(outcome.refused, name).toBeNull();
      expect(outcome.recording!.keyTotals().size).toBe(4);
    }
  });

  it('negative counts are drawn as zero and said once in the health list', async () => {
    const outcome = await openAndRead(readFileSync(corpus.get('counts-negative')!), 'negative.db');
    const rec = outcome.recording!;
    expect(outcome.failures).toEqual([]);
    const notes = rec.info.health.filter((h) => /negative counts/.test(h.message));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ t: 5, kind: 'warning' });
    expect(notes[0]!.message).toMatch(
      /first: -5 in second 5, key .+\): drawn as zero, and left out of totals/,
    );
    expect([...rec.keyTotals().values()].every((n) => n >= 0)).toBe(true);
  });
});

describe('the viewer loader on random mutants', () => {
  it('never throws anything but a one-line RecordingError naming the file (fast-check)', async () => {
    let runs = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(randomMutation, { minLength: 1, maxLength: 3 }),
        async (mutations) => {
          const file = tmp(`random-${runs++}.db`);
          writeRandomMutant(good, file, mutations);
          const outcome = await openAndRead(readFileSync(file), 'mutant.db');
          if (outcome.refused) refused++;
          expect(
            outcome.refused === null || isOneLineNaming(outcome.refused, 'mutant.db'),
            outcome.refused?.message,
          ).toBe(true);
          expect(
            outcome.failures.every((f) => isOneLineNaming(f, 'mutant.db')),
            String(outcome.failures[0]),
          ).toBe(true);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    expect(runs).toBe(RUNS);
    expect(refused).toBeGreaterThan(0);
  });
});
