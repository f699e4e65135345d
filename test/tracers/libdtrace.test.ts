// The libdtrace tracer against a double of node-libdtrace (fixtures/stand-ins/libdtrace-double.ts)
// that hands over the exact values node-libdtrace's own tests assert; and against this machine,
// where the binding is not installed.

import { describe, expect, it } from 'vitest';
import { HeatError } from '../../cli/model/heat-error.js';
import type { Bucket, Snapshot } from '../../cli/model/snapshot.js';
import { libdtraceAvailable, LibdtraceTracer } from '../../cli/tracers/libdtrace.js';
import type { Program, TracerRun } from '../../cli/tracers/tracer.js';
import {
  LLQUANTIZE_0_TO_100, LQUANTIZE_2_4_5_8, QUANTIZE_2_4_5_8, QUANTIZE_MINUS_32_TO_31, libdtraceDouble, type DoubleScript,
} from '../fixtures/stand-ins/libdtrace-double.js';

// varids in program order: @calls = 1, @lat_ns = 2, @fds = 3, @ll = 4. No printa, no tick clause.
const SCRIPT = `syscall:::entry { self->ts = timestamp; @calls[probefunc] = count(); }
syscall:::return /self->ts/ {
  @lat_ns[probefunc] = quantize(timestamp - self->ts);
  @fds = lquantize(arg0, 3, 7, 3);
  self->ts = 0;
}
profile-97 { @ll = llquantize(arg0, 10, 0, 1, 20); }
`;
const program: Program = { preset: 'custom', unit: 'ns', text: SCRIPT };

const WALKS: DoubleScript['walks'] = [
  [[1, ['read'], 2], [2, ['read'], QUANTIZE_MINUS_32_TO_31], [3, [], LQUANTIZE_2_4_5_8]],
  [[4, [], LLQUANTIZE_0_TO_100], [2, ['write'], QUANTIZE_2_4_5_8]],
  [[1, ['close'], 1], [2, ['close'], QUANTIZE_2_4_5_8]],
];

function b(...rows: [number | null, number | null, number][]): Bucket[] {
  return rows.map(([lo, hi, count]) => ({ lo: lo === null ? null : BigInt(lo), hi: hi === null ? null : BigInt(hi), count: BigInt(count) }));
}

async function collect(run: TracerRun, stopAfter = Infinity): Promise<Snapshot[]> {
  const snapshots: Snapshot[] = [];
  for await (const s of run.snapshots) {
    snapshots.push(s);
    if (snapshots.length === stopAfter) run.stop();
  }
  return snapshots;
}

describe('LibdtraceTracer with the node-libdtrace double', () => {
  it('preflight opens a consumer and reports the D version', async () => {
    const module = libdtraceDouble({ walks: [] });
    await expect(new LibdtraceTracer(async () => module).preflight()).resolves.toEqual({ name: 'libdtrace', version: 'Sun D 1.13' });
    await expect(libdtraceAvailable(async () => module)).resolves.toBe(true);
  });

  it('walks the aggregations every second into snapshots, the last walk on stop() being the partial second', async () => {
    const module = libdtraceDouble({ walks: structuredClone(WALKS) });
    const attached: number[] = [];
    const run = await new LibdtraceTracer(async () => module).start(program, { onAttached: (ms) => attached.push(ms) });
    expect(attached).toHaveLength(1);
    expect(Math.abs(attached[0]! - Date.now())).toBeLessThan(500);
    const snapshots = await collect(run, 2);
    expect(await run.exited).toEqual({ ok: true, message: '' });

    expect(snapshots.map((s) => [s.t, s.partial, s.health])).toEqual([[0, false, []], [1, false, []], [2, true, []]]);
    expect(snapshots[0]!.histograms).toEqual([
      {
        aggregation: '@lat_ns', key: ['read'], scheme: 'log2',
        buckets: b([-63, -32, 1], [-31, -16, 16], [-15, -8, 8], [-7, -4, 4], [-3, -2, 2], [-1, -1, 1], [0, 0, 1], [1, 1, 1], [2, 3, 2], [4, 7, 4], [8, 15, 8], [16, 31, 16]),
      },
      { aggregation: '@fds', key: [], scheme: 'linear', buckets: b([null, 2, 1], [3, 5, 2], [6, null, 1]) },
    ]);
    const ll = [...Array.from({ length: 10 }, (_, i) => [i, i, 1] as [number, number, number]), ...Array.from({ length: 18 }, (_, i) => [10 + 5 * i, 14 + 5 * i, 5] as [number, number, number])];
    expect(snapshots[1]!.histograms).toEqual([
      { aggregation: '@ll', key: [], scheme: 'log-linear', buckets: b(...ll, [100, null, 1]) },
      { aggregation: '@lat_ns', key: ['write'], scheme: 'log2', buckets: b([2, 3, 1], [4, 7, 2], [8, 15, 1]) },
    ]);
    expect(snapshots[2]!.histograms.map((h) => `${h.aggregation}[${h.key.join()}]`)).toEqual(['@lat_ns[close]']);

    const [consumer] = module.consumers.slice(-1);
    expect(consumer).toMatchObject({ program: SCRIPT, options: [['aggrate', '10hz']], stopped: true, walkCalls: 3 });
  });

  it('reports a compile error as a failed run with libdtrace\'s reason', async () => {
    const module = libdtraceDouble({ walks: [], compileError: 'probe description syscall::nosuch:entry does not match any probes' });
    const run = await new LibdtraceTracer(async () => module).start(program);
    const snapshots = await collect(run);
    const message = "couldn't compile the D program: probe description syscall::nosuch:entry does not match any probes";
    expect(await run.exited).toEqual({ ok: false, message });
    expect(snapshots).toEqual([]);
    expect(module.consumers[0]).toMatchObject({ going: false, walkCalls: 0 });
  });

  it('ends the run when a walk fails, keeping the seconds before', async () => {
    const message = 'unsupported action stack() as key #1 in aggregation "@ll"';
    const module = libdtraceDouble({ walks: structuredClone(WALKS), failingWalk: { call: 2, message } });
    const run = await new LibdtraceTracer(async () => module).start(program);
    const snapshots = await collect(run);
    expect(await run.exited).toEqual({ ok: false, message });
    expect(snapshots.map((s) => [s.t, s.partial, s.histograms.length])).toEqual([[0, false, 2]]);
    expect(module.consumers[0]!.stopped).toBe(true);
  });

  it('asks for sudo when DTrace cannot be opened', async () => {
    const module = libdtraceDouble({ walks: [], openError: 'DTrace requires additional privileges' });
    const error = await new LibdtraceTracer(async () => module).preflight().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeatError);
    expect(error).toMatchObject({ message: 'libdtrace could not open DTrace: DTrace requires additional privileges', hint: 'run with sudo: sudo heat-record ...' });
  });
});

describe('LibdtraceTracer on this machine (binding not installed)', () => {
  it('preflight says it is not installed and how to build it', async () => {
    await expect(libdtraceAvailable()).resolves.toBe(false);
    const error = await new LibdtraceTracer().preflight().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeatError);
    expect((error as HeatError).message).toMatch(/^the libdtrace native binding \(node-libdtrace\) is not installed: Cannot find module 'libdtrace'/);
    expect((error as HeatError).hint).toContain('https://github.com/bcantrill/node-libdtrace');
  });
});
