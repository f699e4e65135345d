// Turns parsed intervals into numbered seconds. A tracer's tick carries its monotonic clock,
// so a lost or late tick shows up as a jump in t (a gap) rather than shifting every later second.

import type { Snapshot } from '../model/snapshot.js';
import type { Interval } from '../parse/interval-assembler.js';

const NS_PER_S = 1_000_000_000n;

export class IntervalClock {
  private firstTickNs: bigint | null = null;
  private lastT = -1;

  /** Numbers one interval; wallMs is when it arrived. */
  toSnapshot(interval: Interval, wallMs: number): Snapshot {
    const t = this.nextT(interval);
    this.lastT = t;
    const health = [...interval.health];
    if (interval.skipped > 0) {
      health.push({ kind: 'warning', message: `${interval.skipped} line(s) of tracer output could not be parsed and were skipped`, count: interval.skipped });
    }
    return { t, wallMs, histograms: interval.histograms, health, partial: interval.final, tickNs: interval.tickNs };
  }

  private nextT(interval: Interval): number {
    if (interval.final || interval.tickNs === null) return this.lastT + 1;
    if (this.firstTickNs === null) this.firstTickNs = interval.tickNs;
    const t = Number((interval.tickNs - this.firstTickNs + NS_PER_S / 2n) / NS_PER_S);
    return Math.max(t, this.lastT + 1);
  }
}
