// The libdtrace tracer's own logic against a double of our binding (fixtures/stand-ins/libdtrace-double.ts):
// snapshots into seconds, names and open ends, health, stop and failures. The real binding on real
// DTrace: libdtrace-node-libdtrace.test.ts and libdtrace-recorder.test.ts.

import { describe, expect, it } from 'vitest';
import { HeatError } from '../../cli/model/heat-error.js';
import type { Snapshot } from '../../cli/model/snapshot.js';
import { libdtraceAvailable, LibdtraceTracer } from '../../cli/tracers/libdtrace.js';
import { BindingMissing } from '../../cli/tracers/libdtrace-binding.js';
import type { Program, TracerRun } from '../../cli/tracers/tracer.js';
import {
  LQUANTIZE_2_4_5_8,
  QUANTIZE_MINUS_32_TO_31,
  libdtraceDouble,
  record,
} from '../fixtures/stand-ins/libdtrace-double.js';
import { buckets } from '../helpers/buckets.js';

const program: Program = {
  preset: 'custom',
  unit: 'ns',
  text: 'syscall:::entry { @lat_ns[probefunc] = quantize(1); }',
};

async function collect(run: TracerRun, stopAfter = Infinity): Promise<Snapshot[]> {
  const snapshots: Snapshot[] = [];
  for await (const s of run.snapshots) {
    snapshots.push(s);
    if (snapshots.length === stopAfter) run.stop();
  }
  return snapshots;
}

describe('LibdtraceTracer with a double of the binding', () => {
  it('preflight opens a consumer, reports the D version and closes it', async () => {
    const module = libdtraceDouble({ snapshots: [] });
    await expect(new LibdtraceTracer(async () => module).preflight()).resolves.toEqual({
      name: 'libdtrace',
      version: 'Oracle D 2.0',
    });
    expect(module.consumers[0]!.closed).toBe(true);
    await expect(libdtraceAvailable(async () => module)).resolves.toBe(true);
  });

  it('turns a snapshot a second into seconds, the one after stop() being the partial last', async () => {
    const drop = { kind: 'drop' as const, message: '3 aggregation drops on CPU 1', count: 3 };
    const module = libdtraceDouble({
      snapshots: [
        {
          records: [
            record('lat_ns', 'quantize', ['read'], QUANTIZE_MINUS_32_TO_31),
            record('_', 'lquantize', [], LQUANTIZE_2_4_5_8, 2),
          ],
          health: [drop],
        },
        { records: [] },
        { records: [record('lat_ns', 'quantize', ['close'], [[2n, 3n, 7]])] },
      ],
    });
    const attached: number[] = [];
    const run = await new LibdtraceTracer(async () => module).start(program, {
      onAttached: (ms) => attached.push(ms),
    });
    expect(attached).toHaveLength(1);
    const snapshots = await collect(run, 2);
    expect(await run.exited).toEqual({ ok: true, message: '' });

    expect(snapshots.map((s) => [s.t, s.partial, s.health])).toEqual([
      [0, false, [drop]],
      [1, false, []],
      [2, true, []],
    ]);
    expect(snapshots[0]!.histograms).toEqual([
      {
        aggregation: '@lat_ns',
        key: ['read'],
        scheme: 'log2',
        buckets: buckets(
          [-63, -32, 1],
          [-31, -16, 16],
          [-15, -8, 8],
          [-7, -4, 4],
          [-3, -2, 2],
          [-1, -1, 1],
          [0, 0, 1],
          [1, 1, 1],
          [2, 3, 2],
          [4, 7, 4],
          [8, 15, 8],
          [16, 31, 16],
        ),
      },
      {
        aggregation: '@',
        key: [],
        scheme: 'linear',
        buckets: buckets([null, 2, 1], [3, 5, 2], [6, null, 1]),
      },
    ]);
    expect(snapshots[2]!.histograms).toEqual([
      { aggregation: '@lat_ns', key: ['close'], scheme: 'log2', buckets: buckets([2, 3, 7]) },
    ]);
    const consumer = module.consumers[0]!;
    expect(consumer).toMatchObject({
      program: program.text,
      stopped: true,
      closed: true,
      snapshotCalls: 3,
    });
    expect(consumer.options).toEqual([
      ['aggrate', '0'],
      ['switchrate', '10000hz'],
    ]);
  });

  it('ends after the second in which the program called exit()', async () => {
    const module = libdtraceDouble({
      snapshots: [{ records: [record('a', 'llquantize', [], [[0n, 0n, 1]])], done: true }],
    });
    const run = await new LibdtraceTracer(async () => module).start(program);
    const snapshots = await collect(run);
    expect(await run.exited).toEqual({ ok: true, message: '' });
    expect(snapshots.map((s) => [s.t, s.histograms[0]!.scheme])).toEqual([[0, 'log-linear']]);
  });

  it("reports a compile error as a failed run with libdtrace's reason", async () => {
    const module = libdtraceDouble({
      snapshots: [],
      compileError: 'probe description syscall::nosuch:entry does not match any probes',
    });
    const run = await new LibdtraceTracer(async () => module).start(program);
    expect(await collect(run)).toEqual([]);
    expect(await run.exited).toEqual({
      ok: false,
      message:
        "couldn't compile the D program: probe description syscall::nosuch:entry does not match any probes",
    });
    expect(module.consumers[0]).toMatchObject({ going: false, snapshotCalls: 0, closed: true });
  });

  it('ends the run when a snapshot fails, keeping the seconds before', async () => {
    const message = 'unsupported action stack() as key #1 in aggregation "ll"';
    const module = libdtraceDouble({
      snapshots: [{ records: [record('a', 'quantize', [], [[1n, 1n, 1]])] }],
      failingSnapshot: { call: 2, message },
    });
    const run = await new LibdtraceTracer(async () => module).start(program);
    const snapshots = await collect(run);
    expect(await run.exited).toEqual({ ok: false, message });
    expect(snapshots.map((s) => [s.t, s.partial])).toEqual([[0, false]]);
    expect(module.consumers[0]!.closed).toBe(true);
  });

  it('asks for sudo when DTrace cannot be opened', async () => {
    const module = libdtraceDouble({
      snapshots: [],
      openError: 'DTrace requires additional privileges',
    });
    const error = await new LibdtraceTracer(async () => module)
      .preflight()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeatError);
    expect(error).toMatchObject({
      message: 'libdtrace could not open DTrace: DTrace requires additional privileges',
      hint: 'run with sudo: sudo heat-record ...',
    });
  });

  it('passes on what the loader says is missing, with its hint', async () => {
    const missing = new BindingMissing(
      'the libdtrace binding is not built: no libdtrace.so',
      'install DTrace',
    );
    const error = await new LibdtraceTracer(async () => Promise.reject(missing))
      .preflight()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeatError);
    expect(error).toMatchObject({ message: missing.message, hint: 'install DTrace' });
    await expect(libdtraceAvailable(async () => Promise.reject(missing))).resolves.toBe(false);
  });
});
