// Real Oracle Linux DTrace 2.0 per-second output (fixtures/dtrace-linux) imported with every count
// exact. The expected counts come from a reading of the raw text written here independently of
// cli/parse: seconds split at wall-clock lines or, without them, at the two empty lines between
// printa calls; a table is the key line above a `value ... count` header and the rows below it.
// The recordings also open in the viewer's loader with the same counts.

import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTrace } from '../../cli/import/import-recording.js';
import { packageRoot } from '../../cli/package-root.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { gridCounts } from '../viewer/helpers/expected.js';
import { openRecording } from '../../viewer/src/load/open-recording.js';
import { sqlEngine } from '../../viewer/src/load/sql-engine.js';

const tmp = useTempDir();
const fixture = (name: string) => join(packageRoot(), 'test/fixtures/dtrace-linux', name);

/** second -> key -> row label -> count, and each second's printed wall clock (s) when there is one. */
interface Reading {
  counts: Map<string, bigint>[];
  walls: (number | null)[];
}

/** `second|key|label` -> count, read straight from the text. */
function readIndependently(text: string): Reading {
  const lines = text.replace(/\n$/, '').split('\n'); // the last newline ends a line, it does not start one
  const counts: Map<string, bigint>[] = [];
  const walls: (number | null)[] = [];
  const newSecond = (wall: number | null) => {
    counts.push(new Map());
    walls.push(wall);
  };
  let key: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\d{10}$/.test(line)) newSecond(Number(line));
    else if (line === '' && lines[i + 1] === '' && counts.length > 0 && walls[0] === null)
      newSecond(null);
    else if (line.includes('Distribution')) {
      if (counts.length === 0) newSecond(null);
      key = lines[i - 1]!.trim();
    } else if (key !== null && line.includes('|')) {
      const m = /^\s*(<|>=)?\s*(-?\d+) [|@ ]+ (-?\d+)\s*$/.exec(line)!;
      const label = `${m[1] ?? ''}${m[2]}`;
      if (m[3] !== '0') counts[counts.length - 1]!.set(`${key}|${label}`, BigInt(m[3]!));
    } else key = null;
  }
  return { counts, walls };
}

/** The same shape read back from the recording: labels from the bucket bounds. */
function readRecording(path: string): Map<string, bigint>[] {
  const db = new Database(path, { readonly: true });
  db.defaultSafeIntegers(true);
  const rows = db.prepare('SELECT t, key, lo, hi, n FROM counts ORDER BY t').all() as {
    t: bigint;
    key: string;
    lo: bigint | null;
    hi: bigint | null;
    n: bigint;
  }[];
  const seconds: Map<string, bigint>[] = [];
  for (const r of rows) {
    const label = r.lo === null ? `<${r.hi! + 1n}` : r.hi === null ? `>=${r.lo}` : String(r.lo);
    (seconds[Number(r.t)] ??= new Map()).set(`${r.key}|${label}`, r.n);
  }
  db.close();
  return seconds;
}

describe('import of real Linux DTrace 2.0 output', () => {
  for (const name of [
    'out-quantize.txt',
    'out-lquantize.txt',
    'out-llquantize.txt',
    'out-walltime.txt',
    'out-demo2011-timestamp.txt',
  ]) {
    it(`${name}: every count of every second exact`, () => {
      const expected = readIndependently(readFileSync(fixture(name), 'utf8'));
      const out = tmp(`${name}.db`);
      const summary = importTrace(fixture(name), out, { commandLine: ['test'] });
      expect(summary.skipped).toEqual([]);
      expect(summary.intervals).toBe(expected.counts.length);
      expect(readRecording(out)).toEqual(expected.counts);
      const cells = expected.counts.reduce((n, s) => n + s.size, 0);
      expect(cells).toBeGreaterThan(200); // the reading found the tables, not nothing
    });
  }

  it('out-walltime: each second is stamped with the wall clock printed before its printa', () => {
    const { walls } = readIndependently(readFileSync(fixture('out-walltime.txt'), 'utf8'));
    const out = tmp('walltime.db');
    importTrace(fixture('out-walltime.txt'), out, { commandLine: ['test'] });
    const db = new Database(out, { readonly: true });
    expect(db.prepare('SELECT t, wall_ms FROM second ORDER BY t').all()).toEqual(
      walls.map((s, t) => ({ t, wall_ms: s! * 1000 })),
    );
    expect(db.prepare("SELECT value FROM meta WHERE key = 'start_ms'").pluck().get()).toBe(
      String((walls[0]! - 1) * 1000),
    );
    db.close();
  });

  it("opens in the viewer's loader with the same per-second totals as the file", async () => {
    const engine = await sqlEngine({
      bytes: readFileSync(join(packageRoot(), 'node_modules/sql.js/dist/sql-wasm.wasm')),
    });
    for (const name of ['out-lquantize.txt', 'out-walltime.txt']) {
      const out = importAs(name);
      const rec = await openRecording(readFileSync(out), name, engine);
      const perSecond = new Map<number, number>();
      for (const [cell, n] of gridCounts(rec))
        perSecond.set(
          Number(cell.split('|')[0]),
          (perSecond.get(Number(cell.split('|')[0])) ?? 0) + n,
        );
      const db = new Database(out, { readonly: true });
      expect(perSecond).toEqual(
        new Map(
          (db.prepare('SELECT t, events FROM second').all() as { t: number; events: number }[]).map(
            (r) => [r.t, r.events],
          ),
        ),
      );
      db.close();
    }
  });

  it('hand-checked rows: out-walltime line 6 (access, 4..7 ns, 1) and out-lquantize line 5 (sched_getparam, 0..9, 3)', () => {
    const walltime = readRecording(importAs('out-walltime.txt'));
    expect(walltime[0]!.get('access|4')).toBe(1n);
    const lquantize = readRecording(importAs('out-lquantize.txt'));
    expect(lquantize[0]!.get('sched_getparam|0')).toBe(3n);
    expect(lquantize[0]!.get('sched_getparam|<0')).toBeUndefined(); // a zero row is not stored
  });
});

function importAs(name: string): string {
  const out = tmp(`again-${name}.db`);
  importTrace(fixture(name), out, { commandLine: ['test'], force: true });
  return out;
}
