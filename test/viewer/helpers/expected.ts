// What the viewer should show, computed straight from a recording with better-sqlite3 and the
// format's documented rules (log axis: log2(v) from 1 up, one unit per step below; percentiles
// by nearest rank over buckets in ascending order), independently of the viewer's own code.

import Database from 'better-sqlite3';
import { ALL_KEYS, type KeySelection } from '../../../viewer/src/model/key-selection.js';
import type { Recording } from '../../../viewer/src/model/recording.js';
import type { PlotBox } from './browser.js';

/** "t|lo|hi" -> count, from the model's per-second grid of a key selection (to compare with the file's counts view). */
export function gridCounts(rec: Recording, sel: KeySelection = ALL_KEYS): Map<string, number> {
  const grid = rec.grid(sel);
  const out = new Map<string, number>();
  for (let t = rec.t0; t < rec.end; t++) {
    rec.axis.rows.forEach((b, r) => {
      const n = grid.countAt(t, r);
      if (n) out.set(`${t}|${b.lo}|${b.hi}`, n);
    });
  }
  return out;
}

export interface Bucket {
  id: number;
  lo: number;
  hi: number;
}

export class RecordingFacts {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path, { readonly: true });
  }

  close(): void {
    this.db.close();
  }

  /** Finite buckets in ascending order. */
  buckets(): Bucket[] {
    return this.db
      .prepare(
        'SELECT id, lo, hi FROM bucket WHERE lo IS NOT NULL AND hi IS NOT NULL ORDER BY lo, hi',
      )
      .all() as Bucket[];
  }

  seconds(): number {
    return (this.db.prepare('SELECT max(t) + 1 AS n FROM second').get() as { n: number }).n;
  }

  keys(): { id: number; key: string }[] {
    return this.db.prepare('SELECT id, key FROM series ORDER BY id').all() as {
      id: number;
      key: string;
    }[];
  }

  /** Events in bucket b during second t, over all keys or one key. */
  count(t: number, b: Bucket, key?: string): number {
    const row = this.db
      .prepare(
        `SELECT coalesce(sum(n), 0) AS n FROM counts WHERE t = ? AND lo = ? AND hi = ?${key === undefined ? '' : ' AND key = ?'}`,
      )
      .get(...[t, b.lo, b.hi, ...(key === undefined ? [] : [key])]) as { n: number };
    return row.n;
  }

  /** The merged histogram of seconds [from, to), all keys, buckets ascending. */
  histogram(from: number, to: number): { b: Bucket; n: number }[] {
    return this.db
      .prepare(
        'SELECT lo, hi, sum(n) AS n FROM counts WHERE t >= ? AND t < ? GROUP BY lo, hi ORDER BY lo IS NOT NULL, lo, hi IS NULL, hi',
      )
      .all(from, to)
      .map((r) => {
        const x = r as { lo: number; hi: number; n: number };
        return { b: { id: 0, lo: x.lo, hi: x.hi }, n: x.n };
      });
  }

  /** Nearest-rank percentile bucket of seconds [from, to). */
  percentile(from: number, to: number, p: number): { bucket: Bucket; total: number } {
    const hist = this.histogram(from, to);
    const total = hist.reduce((s, h) => s + h.n, 0);
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    let seen = 0;
    for (const h of hist) {
      seen += h.n;
      if (seen >= rank) return { bucket: h.b, total };
    }
    throw new Error('empty range');
  }
}

const units = (v: number) => (v >= 1 ? Math.log2(v) : v - 1);

/** Top and bottom (CSS px on the canvas) of bucket b's row, for a log axis over `buckets`. */
export function bucketSpanY(
  plot: PlotBox,
  buckets: Bucket[],
  b: Bucket,
): { top: number; bottom: number } {
  const uMin = units(Math.min(...buckets.map((x) => x.lo)));
  const uMax = units(Math.max(...buckets.map((x) => x.hi + 1)));
  const y = (u: number) => plot.top + ((uMax - u) / (uMax - uMin)) * plot.height;
  return { top: y(units(b.hi + 1)), bottom: y(units(b.lo)) };
}

/** Centre (CSS px on the canvas) of second t and of bucket b, for a log axis over `buckets`. */
export function cellCentre(
  plot: PlotBox,
  window: { start: number; end: number },
  buckets: Bucket[],
  t: number,
  b: Bucket,
): { x: number; y: number } {
  const uMin = units(Math.min(...buckets.map((x) => x.lo)));
  const uMax = units(Math.max(...buckets.map((x) => x.hi + 1)));
  const u = (units(b.lo) + units(b.hi + 1)) / 2;
  return {
    x: plot.left + ((t + 0.5 - window.start) / (window.end - window.start)) * plot.width,
    y: plot.top + ((uMax - u) / (uMax - uMin)) * plot.height,
  };
}
