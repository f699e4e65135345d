// Turns parsed intervals into numbered seconds. A tracer's tick carries its monotonic clock,
// so a lost or late tick shows up as a jump in t (a gap) rather than shifting every later second.

import type { Snapshot } from '../model/snapshot.js';
import { IntervalAssembler, type Interval } from '../parse/interval-assembler.js';
import type { SnapshotAssembler, TraceEvent } from '../parse/trace-event.js';

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
      health.push({
        kind: 'warning',
        message: `${interval.skipped} line(s) of tracer output could not be parsed and were skipped`,
        count: interval.skipped,
      });
    }
    return {
      t,
      wallMs,
      histograms: interval.histograms,
      health,
      partial: interval.final,
      tickNs: interval.tickNs,
    };
  }

  private nextT(interval: Interval): number {
    if (interval.final || interval.tickNs === null) return this.lastT + 1;
    if (this.firstTickNs === null) this.firstTickNs = interval.tickNs;
    const t = Number((interval.tickNs - this.firstTickNs + NS_PER_S / 2n) / NS_PER_S);
    return Math.max(t, this.lastT + 1);
  }
}

/** Intervals closed by ticks, numbered by IntervalClock: for tracers whose ticks cut the seconds (DTrace). */
export class IntervalSnapshots implements SnapshotAssembler {
  private readonly assembler = new IntervalAssembler();
  private readonly clock = new IntervalClock();

  push(events: TraceEvent[], wallMs: number): Snapshot[] {
    return this.assembler.push(events).map((interval) => this.clock.toSnapshot(interval, wallMs));
  }

  end(): Snapshot[] {
    // Output after the last tick is the partial last second. Health lines alone (a compile error
    // before any output) make no second: the exit message carries them.
    const last = this.assembler.end();
    return last && last.histograms.length > 0
      ? [this.clock.toSnapshot({ ...last, final: true }, Date.now())]
      : [];
  }
}
