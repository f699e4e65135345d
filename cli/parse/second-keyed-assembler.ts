// Assembles seconds from histograms the kernel already bucketed by time: the recorder's bpftrace
// and D programs key every histogram by the kernel second (`nsecs / 1e9`, `timestamp / 1e9`;
// first key element), so each event is booked in the second it happened however late a print
// comes. Ticks only drain, and only the parity of the second before theirs: the programs keep
// each second's histograms in one of two maps by its parity, and a drain in second C prints (and
// empties) the map of C - 1's parity, never the one being written. So a tick in second C completes
// the seconds before C an odd distance away; the others wait for a drain of their parity. Ticks
// come from perf-event probes, which the kernel skips when they fire while another BPF program
// runs on that CPU (routine under heavy syscall tracing): with a drain missed, the second two
// before the next one is still in its map, and committing it then would record it empty and its
// counts late. With a start marker, second 0 is the first whole second after the probes went live.

import { coalesceHealth } from '../model/health-coalescing.js';
import type { HealthEvent, Histogram, Snapshot } from '../model/snapshot.js';
import type { SnapshotAssembler, TraceEvent } from './trace-event.js';

const NS_PER_S = 1_000_000_000n;

/** A completed kernel second, numbered from the recording's first. */
export class SecondKeyedAssembler implements SnapshotAssembler {
  private readonly pending = new Map<bigint, Histogram[]>();
  /** Stack histograms (heat-record --stacks) by kernel second, kept beside their seconds' histograms. */
  private readonly pendingStacks = new Map<bigint, Histogram[]>();
  private health: HealthEvent[] = [];
  private skipped = 0;
  private late = 0;
  /** Kernel second of t = 0 (the one the program attached in). */
  private first: bigint | null = null;
  /** The next kernel second to emit. */
  private next: bigint | null = null;
  /** Wall-clock ms minus tracer ms, learnt from the first tick. */
  private wallOffsetMs: number | null = null;
  /** The END marker's time: the true end of the last, partial second. */
  private endNs: bigint | null = null;
  /** True when a start marker set `first` (so second 0 is whole). */
  private startMarked = false;
  /** Kernel seconds of the drains that may still complete a second not yet emitted. */
  private drains: bigint[] = [];

  /** @param aggregationName maps a printed map name to the one the user wrote @default identity */
  constructor(private readonly aggregationName: (printed: string) => string = (name) => name) {}

  /** Feeds parser events; wallMs is when they arrived. Returns the seconds they complete. */
  push(events: TraceEvent[], wallMs: number): Snapshot[] {
    const done: Snapshot[] = [];
    for (const e of events) {
      if (e.type === 'histogram') this.add(e.histogram);
      else if (e.type === 'health') this.health.push(e.event);
      else if (e.type === 'skipped') this.skipped++;
      else if (e.type === 'tick' && e.tickNs !== null)
        done.push(...this.tick(e.tickNs, e.final, e.start ?? false, wallMs));
    }
    return done;
  }

  /** The output ended without an END marker (the tracer died): emit what is held. */
  end(): Snapshot[] {
    if (this.pending.size === 0) return [];
    const last = [...this.pending.keys()].reduce((a, b) => (a > b ? a : b));
    return this.emitThrough(last + 1n, true);
  }

  private add(h: Histogram): void {
    const [second, ...key] = h.key;
    if (second === undefined || !/^-?\d+$/.test(second)) {
      this.skipped++;
      return;
    }
    let s = BigInt(second);
    if (this.beforeStart(s)) return; // the tracer's start-up second: not part of the recording
    if (h.buckets.length === 0) return; // an all-zero D table (a zero increment): nothing counted
    if (this.next !== null && s < this.next) {
      this.late++; // booked after its second was committed: count it in the next one, and say so
      s = this.next;
    }
    const held = h.frames ? this.pendingStacks : this.pending;
    const list = held.get(s) ?? [];
    list.push({ ...h, aggregation: this.aggregationName(h.aggregation), key });
    held.set(s, list);
  }

  private tick(tickNs: bigint, final: boolean, start: boolean, wallMs: number): Snapshot[] {
    const second = tickNs / NS_PER_S;
    this.wallOffsetMs ??= wallMs - Number(tickNs) / 1e6;
    if (this.first === null) {
      // The probes went live part-way through the start marker's second: the recording begins
      // with the first whole second after it, so attaching is never a short or missed second.
      this.first = start ? second + 1n : this.earliest(second);
      this.next = this.first;
      this.startMarked = start;
    }
    if (start) return [];
    if (final) {
      this.endNs = tickNs;
      return this.emitThrough(this.latest(second) + 1n, true);
    }
    this.drains.push(second);
    return this.emitThrough(this.drainedUntil(second), false);
  }

  /** The first second from `next` on (before `second`) that no drain has printed yet. */
  private drainedUntil(second: bigint): bigint {
    let s = this.next!;
    while (s < second && this.drains.some((d) => d > s && (d - s) % 2n === 1n)) s++;
    this.drains = this.drains.filter((d) => d > s);
    return s;
  }

  /** Emits seconds next .. until-1, empty ones included (a quiet second is not a missed one). */
  private emitThrough(until: bigint, final: boolean): Snapshot[] {
    if (this.next === null) this.next = this.first = this.earliest(until - 1n);
    const out: Snapshot[] = [];
    for (let s = this.next; s < until; s++) {
      out.push(this.snapshot(s, final && s === until - 1n));
    }
    this.next = until > this.next ? until : this.next;
    return out;
  }

  private snapshot(s: bigint, last: boolean): Snapshot {
    const histograms = this.pending.get(s) ?? [];
    const stacks = this.pendingStacks.get(s);
    this.pending.delete(s);
    this.pendingStacks.delete(s);
    const t = Number(s - this.first!);
    const closeNs = last && this.endNs !== null ? this.endNs : (s + 1n) * NS_PER_S;
    const snap: Snapshot = {
      t,
      wallMs: Math.round(
        (this.wallOffsetMs ?? Date.now() - Number(closeNs) / 1e6) + Number(closeNs) / 1e6,
      ),
      histograms,
      health: this.takeHealth(),
      partial: last || (t === 0 && !this.startMarked),
      tickNs: closeNs,
    };
    if (stacks) snap.stacks = stacks;
    return snap;
  }

  private takeHealth(): HealthEvent[] {
    const health = coalesceHealth(this.health);
    if (this.skipped > 0)
      health.push({
        kind: 'warning',
        message: `${this.skipped} line(s) of tracer output could not be parsed and were skipped`,
        count: this.skipped,
      });
    if (this.late > 0)
      health.push({
        kind: 'warning',
        message: `${this.late} histogram(s) arrived after their second was committed and were counted in this one`,
        count: this.late,
      });
    this.health = [];
    this.skipped = 0;
    this.late = 0;
    return health;
  }

  private beforeStart(second: bigint): boolean {
    return this.startMarked && this.first !== null && second < this.first;
  }

  private earliest(fallback: bigint): bigint {
    return [...this.pending.keys()].reduce((a, b) => (a < b ? a : b), fallback);
  }

  private latest(fallback: bigint): bigint {
    return [...this.pending.keys()].reduce((a, b) => (a > b ? a : b), fallback);
  }
}
