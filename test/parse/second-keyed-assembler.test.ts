import { describe, expect, it } from 'vitest';
import { SecondKeyedAssembler } from '../../cli/parse/second-keyed-assembler.js';
import type { TraceEvent } from '../../cli/parse/trace-event.js';
import { hist } from '../helpers/recordings.js';

const S = 1_000_000_000n;
const tick = (ns: bigint, extra: { final?: boolean; start?: boolean } = {}): TraceEvent => ({
  type: 'tick',
  tickNs: ns,
  final: extra.final ?? false,
  ...(extra.start ? { start: true } : {}),
});
const h = (second: number, key: string, count: number): TraceEvent => ({
  type: 'histogram',
  histogram: hist([String(second), key], [[1, 1, count]]),
});

describe('SecondKeyedAssembler', () => {
  it('starts with the first whole second after the start marker, and drops the start-up second', () => {
    const a = new SecondKeyedAssembler();
    expect(a.push([tick(100n * S + 400_000_000n, { start: true })], 10_000)).toEqual([]);
    // Second 100 held the attach: its counts are not part of the recording (and not "late").
    const out = a.push(
      [h(100, 'read', 5), h(101, 'read', 7), tick(102n * S + 10_000_000n)],
      11_010,
    );
    expect(
      out.map((s) => [
        s.t,
        s.partial,
        s.health,
        s.histograms.map((x) => [x.key, x.buckets[0]!.count]),
      ]),
    ).toEqual([[0, false, [], [[['read'], 7n]]]]);
  });

  it('books counts in the kernel second they carry, however late the print', () => {
    const a = new SecondKeyedAssembler();
    a.push([tick(100n * S + 400_000_000n, { start: true })], 10_000);
    // A late tick at 102.3 s drains seconds 101 (t 0); 102 stays open and gets more later.
    const first = a.push(
      [h(101, 'read', 7), h(102, 'read', 1), tick(102n * S + 300_000_000n)],
      12_300,
    );
    expect(
      first.map((s) => [s.t, s.partial, s.histograms.map((x) => [x.key, x.buckets[0]!.count])]),
    ).toEqual([[0, false, [[['read'], 7n]]]]);
    expect(first.map((s) => s.wallMs)).toEqual([11_600]); // wall = tracer time + offset learnt at the start
    const last = a.push(
      [h(102, 'read', 2), h(103, 'write', 3), tick(103n * S + 500_000_000n, { final: true })],
      13_500,
    );
    expect(last.map((s) => [s.t, s.partial, s.histograms.length, s.tickNs])).toEqual([
      [1, false, 2, 103n * S],
      [2, true, 1, 103n * S + 500_000_000n],
    ]);
  });

  it('without a start marker, starts at the earliest second held and calls it partial', () => {
    const a = new SecondKeyedAssembler();
    const out = a.push([h(7, 'x', 1), h(8, 'x', 2), tick(9n * S + 5n), tick(10n * S + 5n)], 0);
    expect(out.map((s) => [s.t, s.partial, s.histograms.length])).toEqual([
      [0, true, 1],
      [1, false, 1],
      [2, false, 0],
    ]);
  });

  it('emits quiet seconds as empty seconds, not as missing ones', () => {
    const a = new SecondKeyedAssembler();
    a.push([tick(5n * S, { start: true })], 0);
    const ticks = [7n, 8n, 9n, 10n].map((second) => tick(second * S + 1n));
    const out = a.push([h(6, 'x', 1), ...ticks], 4000);
    expect(out.map((s) => [s.t, s.histograms.length])).toEqual([
      [0, 1],
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
  });

  it('holds a second until a drain of its parity printed it: a missed tick is not an empty second', () => {
    const a = new SecondKeyedAssembler();
    a.push([tick(5n * S, { start: true })], 0);
    const seconds = (out: { t: number; histograms: { buckets: { count: bigint }[] }[] }[]) =>
      out.map((s) => [s.t, s.histograms.map((x) => x.buckets[0]!.count)]);
    // The drain in second 7 printed second 6's map; none ran in second 8 (the kernel skipped it).
    expect(seconds(a.push([h(6, 'x', 1), tick(7n * S + 300_000_000n)], 2000))).toEqual([[0, [1n]]]);
    // The drain in second 9 prints the map of 8's parity; 7 is still in the map of 9's parity.
    expect(a.push([h(8, 'x', 3), tick(9n * S + 200_000_000n)], 4000)).toEqual([]);
    // The drain in second 10 prints it: 7, 8 and 9 complete, nothing late.
    const out = a.push([h(7, 'x', 2), h(9, 'x', 4), tick(10n * S + 200_000_000n)], 5000);
    expect(seconds(out)).toEqual([
      [1, [2n]],
      [2, [3n]],
      [3, [4n]],
    ]);
    expect(out.flatMap((s) => s.health)).toEqual([]);
  });

  it('counts a histogram for an already committed second in the next one, with a warning', () => {
    const a = new SecondKeyedAssembler();
    a.push([tick(5n * S, { start: true }), tick(7n * S + 10n)], 0);
    const out = a.push([h(6, 'x', 4), tick(8n * S + 10n)], 2000);
    expect(out).toHaveLength(1);
    expect(out[0]!.t).toBe(1);
    expect(out[0]!.histograms[0]!.buckets[0]!.count).toBe(4n);
    expect(out[0]!.health).toEqual([expect.objectContaining({ kind: 'warning', count: 1 })]);
  });

  it('keeps what it holds when the output ends without an END marker; only the last second is partial', () => {
    const a = new SecondKeyedAssembler();
    a.push([tick(5n * S, { start: true }), h(6, 'x', 1), h(7, 'x', 2)], 0);
    expect(a.end().map((s) => [s.t, s.partial])).toEqual([
      [0, false],
      [1, true],
    ]);
  });
});
