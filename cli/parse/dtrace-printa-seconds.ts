// Where the seconds of saved dtrace(1) output begin when nothing else says: no recorder markers,
// no aggregation names, no wall-clock lines. Each printa call shows where it starts (its own
// leading empty line), but a tick may run several (`printa(@lat); printa(@size);`), so a call
// begins a new second only when one of its keys is already in the current one:
//   printa #1: read, write        -> second 0
//   printa #2: open               -> second 0 (new keys: another aggregation of the same tick)
//   printa #3: read, close        -> second 1 (read again)
// A call's events are held until the next call starts, since its keys are known only then.

import type { TraceEvent } from './trace-event.js';

export class PrintaSeconds {
  private held: TraceEvent[] = [];
  private heldKeys: string[] = [];
  private readonly inSecond = new Set<string>();

  /** Holds an event of the current printa call. */
  add(e: TraceEvent): void {
    this.held.push(e);
    if (e.type === 'histogram')
      this.heldKeys.push(`${e.histogram.aggregation}\u0000${e.histogram.key.join('\u0000')}`);
  }

  /** A new printa call starts: the previous one's events, after an interval-start if they begin a second. */
  nextCall(): TraceEvent[] {
    const repeats = this.heldKeys.some((k) => this.inSecond.has(k));
    if (repeats) this.inSecond.clear();
    for (const k of this.heldKeys) this.inSecond.add(k);
    const events: TraceEvent[] = repeats ? [{ type: 'interval-start' }, ...this.held] : this.held;
    this.held = [];
    this.heldKeys = [];
    return events;
  }

  /** The output ended or other delimiters took over: everything held, in order. */
  flush(): TraceEvent[] {
    const events = this.nextCall();
    this.inSecond.clear();
    return events;
  }
}
