// One second's negative counts as the writer meets them, for the health warning it writes beside
// the second (schemas/negative-counts.ts: hist keeps them, the heat leaves them out).

import { negativeCountsNote, type FirstNegative } from '../../schemas/negative-counts.js';
import type { HealthEvent, Histogram } from '../model/snapshot.js';
import type { Count } from './bucket-counts.js';

export class NegativeTally {
  private cells = 0;
  private sum = 0n;
  private first: FirstNegative | null = null;

  /** Starts a new second. */
  clear(): void {
    this.cells = 0;
    this.sum = 0n;
    this.first = null;
  }

  /** Counts n when it is negative: the cell of histogram h with bounds lo..hi. */
  add(n: Count, h: Histogram, lo: bigint | null, hi: bigint | null): void {
    if (n >= 0) return;
    this.cells++;
    this.sum += BigInt(n);
    this.first ??= { series: seriesText(h), bucket: bucketText(lo, hi), count: BigInt(n) };
  }

  /** The second's warning, or null when it held no negative count. */
  note(): HealthEvent | null {
    return this.first ? negativeCountsNote(this.cells, this.sum, this.first) : null;
  }
}

/** `@lat[read, 3]`, or `@lat` for a keyless aggregation. */
function seriesText(h: Histogram): string {
  return h.key.length ? `${h.aggregation}[${h.key.join(', ')}]` : h.aggregation;
}

/** `[1, 1]`, `<= -11` (open below), `>= 10` (open above). */
function bucketText(lo: bigint | null, hi: bigint | null): string {
  if (lo === null) return hi === null ? 'all values' : `<= ${hi}`;
  return hi === null ? `>= ${lo}` : `[${lo}, ${hi}]`;
}
