// Groups a parser's event stream into intervals (one per tracer print cycle).
// With the recorder's markers an interval ends at each tick. Saved output has no markers
// (heat-record import), so a new interval also starts at a `time` line, when an aggregation
// entry repeats within the current interval, or when a map is printed again by another print.

import type { HealthEvent, Histogram } from '../model/snapshot.js';
import type { TraceEvent } from './trace-event.js';

export interface Interval {
  histograms: Histogram[];
  health: HealthEvent[];
  /** The tracer's monotonic time of the tick that closed the interval, when it printed one. */
  tickNs: bigint | null;
  /** The last interval, closed by the END marker or the end of the output. */
  final: boolean;
  /** Lines skipped as junk while parsing this interval. */
  skipped: number;
}

export class IntervalAssembler {
  private histograms: Histogram[] = [];
  private health: HealthEvent[] = [];
  private seen = new Set<string>();
  /** aggregation -> the print that printed it in this interval (when the parser numbers prints) */
  private prints = new Map<string, number>();
  private skipped = 0;

  /** Feeds events; returns the intervals they complete. */
  push(events: TraceEvent[]): Interval[] {
    const done: Interval[] = [];
    for (const e of events) {
      const closed = this.apply(e);
      if (closed) done.push(closed);
    }
    return done;
  }

  /** Closes the pending interval at the end of the output, if it holds anything. */
  end(): Interval | null {
    return this.isEmpty() ? null : this.close(null, true);
  }

  private apply(e: TraceEvent): Interval | null {
    switch (e.type) {
      case 'tick':
        if (e.start) return null; // attached: nothing to close yet
        return this.close(e.tickNs, e.final);
      case 'interval-start':
        return this.isEmpty() ? null : this.close(null, false);
      case 'histogram':
        return this.addHistogram(e.histogram, e.print);
      case 'health':
        this.health.push(e.event);
        return null;
      case 'skipped':
        this.skipped++;
        return null;
    }
  }

  private addHistogram(h: Histogram, print: number | undefined): Interval | null {
    const id = `${h.aggregation}\u0000${h.key.join('\u0000')}`;
    const printedBy = print === undefined ? undefined : this.prints.get(h.aggregation);
    const again = this.seen.has(id) || (printedBy !== undefined && printedBy !== print);
    const closed = again ? this.close(null, false) : null;
    this.seen.add(id);
    if (print !== undefined) this.prints.set(h.aggregation, print);
    this.histograms.push(h);
    return closed;
  }

  private isEmpty(): boolean {
    return this.histograms.length === 0 && this.health.length === 0 && this.skipped === 0;
  }

  private close(tickNs: bigint | null, final: boolean): Interval {
    const interval = {
      histograms: this.histograms,
      health: this.health,
      tickNs,
      final,
      skipped: this.skipped,
    };
    this.histograms = [];
    this.health = [];
    this.seen = new Set();
    this.prints = new Map();
    this.skipped = 0;
    return interval;
  }
}
