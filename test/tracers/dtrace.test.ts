// The dtrace(1) tracer against a stand-in dtrace (fixtures/stand-ins/dtrace) that replays real
// printa output once a second; plus the D script completion and the stderr classifier it uses.

import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeatError } from '../../cli/model/heat-error.js';
import type { Bucket, Snapshot } from '../../cli/model/snapshot.js';
import { parseDtraceStderrLine } from '../../cli/parse/dtrace-stderr.js';
import { DtraceTracer } from '../../cli/tracers/dtrace.js';
import { aggregationVarids, completeDtraceProgram, distributionAggregations } from '../../cli/tracers/dtrace-program.js';
import type { Program, TracerRun } from '../../cli/tracers/tracer.js';

const STAND_INS = fileURLToPath(new URL('../fixtures/stand-ins/', import.meta.url));
const ORIGINAL_PATH = process.env.PATH;

// The syscall-latency measurement as the D books write it.
const SYSCALL_LATENCY = `syscall:::entry { self->ts = timestamp; }
syscall:::return /self->ts/ {
  @lat_ns[probefunc] = quantize(timestamp - self->ts);
  self->ts = 0;
}
`;
const program: Program = { preset: 'custom', unit: 'ns', text: completeDtraceProgram(SYSCALL_LATENCY).text };
const root = { geteuid: () => 0 };

function b(...rows: [number | null, number | null, number][]): Bucket[] {
  return rows.map(([lo, hi, count]) => ({ lo: lo === null ? null : BigInt(lo), hi: hi === null ? null : BigInt(hi), count: BigInt(count) }));
}

/** Collects snapshots, calling stop() once `stopAfter` have arrived. */
async function collect(run: TracerRun, stopAfter = Infinity): Promise<Snapshot[]> {
  const snapshots: Snapshot[] = [];
  for await (const s of run.snapshots) {
    snapshots.push(s);
    if (snapshots.length === stopAfter) run.stop();
  }
  return snapshots;
}

const summary = (s: Snapshot) => ({ t: s.t, partial: s.partial, tables: s.histograms.map((h) => `${h.aggregation}[${h.key.join()}]`) });

describe('DtraceTracer with the stand-in dtrace', () => {
  beforeEach(() => {
    process.env.PATH = `${STAND_INS}${delimiter}${ORIGINAL_PATH}`;
  });
  afterEach(() => {
    process.env.PATH = ORIGINAL_PATH;
    delete process.env.HEAT_DTRACE_STANDIN;
  });

  it('preflight finds dtrace on PATH and reads its version', async () => {
    await expect(new DtraceTracer(root).preflight()).resolves.toEqual({ name: 'dtrace', version: 'Sun D 1.13' });
  });

  it('records one snapshot a second, drops from stderr, and the END output as the partial last second', async () => {
    const run = await new DtraceTracer(root).start(program);
    const started = Date.now();
    const snapshots = await collect(run, 3);
    expect(await run.exited).toEqual({ ok: true, message: '' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(snapshots.map(summary)).toEqual([
      { t: 0, partial: false, tables: ['@lat_ns[write]', '@lat_ns[read]'] },
      { t: 1, partial: false, tables: ['@lat_ns[close]', '@lat_ns[read]'] },
      { t: 2, partial: false, tables: ['@lat_ns[]'] },
      { t: 3, partial: true, tables: ['@lat_ns[Hoover]', '@lat_ns[Nixon]', '@lat_ns[Harding]', '@lat_ns[Bush]'] },
    ]);
    const [first, second, third, last] = snapshots as [Snapshot, Snapshot, Snapshot, Snapshot];
    expect(first.histograms[0]).toEqual({ aggregation: '@lat_ns', key: ['write'], scheme: 'log2', buckets: b([512, 1023, 1], [1024, 2047, 2], [2048, 4095, 3]) });
    expect(second.histograms[1]!.buckets).toEqual(b([512, 1023, 2], [1024, 2047, 1]));
    expect(third.histograms[0]!.buckets).toEqual(b([0, 0, 2], [1, 1, 6], [2, 3, 19]));
    expect(last.histograms.map((h) => h.buckets)).toEqual([b([10, null, -100]), b([null, -11, 25]), b([-10, -10, 15]), b([10, null, 150])]);
    expect([first.health, second.health, third.health, last.health]).toEqual([
      [],
      [{ kind: 'drop', message: 'dtrace: 12 dynamic variable drops', count: 12 }, { kind: 'drop', message: 'dtrace: 3 aggregation drops on CPU 1', count: 3 }],
      [],
      [],
    ]);
  });

  it('reports a compile error as a failed exit with dtrace\'s own message', async () => {
    process.env.HEAT_DTRACE_STANDIN = 'compile-error';
    const run = await new DtraceTracer(root).start(program);
    const snapshots = await collect(run);
    const exit = await run.exited;
    expect(exit.ok).toBe(false);
    expect(exit.message).toMatch(/^dtrace: failed to compile script \/.*\/program\.d: line 1: probe description syscall::nosuchcall:entry does not match any probes$/);
    // No data. Whether the error also makes a health-only second is child-tracer.ts's choice.
    expect(snapshots.flatMap((s) => s.histograms)).toEqual([]);
  });

  it('keeps what arrived before dtrace died mid-run', async () => {
    process.env.HEAT_DTRACE_STANDIN = 'die';
    const run = await new DtraceTracer(root).start(program);
    const snapshots = await collect(run);
    expect(await run.exited).toEqual({ ok: false, message: 'dtrace: processing aborted: Abort due to systemic unresponsiveness' });
    expect(snapshots.map(summary)).toEqual([
      { t: 0, partial: false, tables: ['@lat_ns[write]', '@lat_ns[read]'] },
      { t: 1, partial: true, tables: ['@lat_ns[close]', '@lat_ns[read]'] },
    ]);
    expect(snapshots[1]!.histograms[1]!.buckets).toEqual(b([512, 1023, 2]));
    expect(snapshots[1]!.health).toEqual([{ kind: 'error', message: 'dtrace: processing aborted: Abort due to systemic unresponsiveness', count: 1 }]);
  });
});

describe('DtraceTracer preflight failures', () => {
  afterEach(() => {
    process.env.PATH = ORIGINAL_PATH;
  });

  it.each([
    ['linux', '--tracer bpftrace'],
    ['darwin', 'csrutil enable --without dtrace'],
    ['freebsd', 'kldload dtraceall'],
    ['sunos', 'illumos and Solaris ship /usr/sbin/dtrace'],
  ] as const)('without dtrace on PATH says how to get it on %s', async (platform, hint) => {
    process.env.PATH = '/nonexistent';
    const error = await new DtraceTracer({ ...root, platform }).preflight().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeatError);
    expect((error as HeatError).message).toBe('DTrace is needed for --tracer dtrace, but dtrace is not on PATH');
    expect((error as HeatError).hint).toContain(hint);
  });

  it('asks for sudo when not root', async () => {
    process.env.PATH = `${STAND_INS}${delimiter}${ORIGINAL_PATH}`;
    await expect(new DtraceTracer({ geteuid: () => 501 }).preflight()).rejects.toThrow('dtrace needs root to enable probes');
  });
});

describe('completeDtraceProgram', () => {
  it('adds quiet, the per-second printa/trunc with the tick marker, and the END clause', () => {
    expect(completeDtraceProgram(SYSCALL_LATENCY)).toEqual({
      aggregations: ['@lat_ns'],
      text: `${SYSCALL_LATENCY}
/* Added by heat-record: one snapshot per second, then a tick marker with the monotonic clock. */
#pragma D option quiet
tick-1s { printa(@lat_ns); trunc(@lat_ns); printf("heat-tracer:tick %d\\n", timestamp); }
END { printa(@lat_ns); trunc(@lat_ns); printf("heat-tracer:end %d\\n", timestamp); }
`,
    });
  });

  it('finds every distribution, with nested brackets in keys and the anonymous @, and keeps an existing quiet pragma', () => {
    const script = `#pragma D option quiet
/* @commented = quantize(1) is not code */
sched:::enqueue { ts[args[0]->pr_lwpid] = timestamp; @enq = count(); }
sched:::dequeue /ts[args[0]->pr_lwpid]/ {
  @rq_ns[args[2]->cpu_id] = quantize(timestamp - ts[args[0]->pr_lwpid]);
  @ = lquantize(args[2]->cpu_id, 0, 64, 1);
  @sizes["by cpu", cpu] = llquantize(arg0, 10, 0, 6, 20);
  printf("@notanaggregation = quantize(2)\\n");
}`;
    expect(distributionAggregations(script)).toEqual(['@rq_ns', '@', '@sizes']);
    expect(aggregationVarids(script)).toEqual(new Map([[1, '@enq'], [2, '@rq_ns'], [3, '@'], [4, '@sizes']]));
    const { text } = completeDtraceProgram(script);
    expect(text.match(/#pragma D option quiet/g)).toHaveLength(1);
    expect(text).toContain('tick-1s { printa(@rq_ns); trunc(@rq_ns); printa(@); trunc(@); printa(@sizes); trunc(@sizes); printf(');
  });

  it('refuses a script without a distribution, or one that prints its own', () => {
    expect(() => completeDtraceProgram('profile-997 { @samples[execname] = count(); }')).toThrow('the D script defines no distribution');
    expect(() => completeDtraceProgram(`${SYSCALL_LATENCY}tick-1s { printa(@lat_ns); trunc(@lat_ns); }`)).toThrow('the D script prints @lat_ns itself');
  });
});

describe('parseDtraceStderrLine', () => {
  it.each([
    ['dtrace: 12 drops on CPU 0', { kind: 'drop', count: 12 }],
    ['dtrace: 1 drop on CPU 3', { kind: 'drop', count: 1 }],
    ['dtrace: 3 aggregation drops on CPU 1', { kind: 'drop', count: 3 }],
    ['dtrace: 5 dynamic variable drops with non-empty dirty list', { kind: 'drop', count: 5 }],
    ['dtrace: 2 speculative drops', { kind: 'drop', count: 2 }],
    ['dtrace: error on enabled probe ID 3 (ID 812: syscall::read:return): invalid address (0x0) in action #1 at DIF offset 12', { kind: 'error', count: 1 }],
    ['dtrace: failed to compile script x.d: line 3: syntax error near "}"', { kind: 'error', count: 1 }],
    ['dtrace: buffer size lowered to 2m', { kind: 'warning', count: 1 }],
  ])('%s', (line, expected) => {
    expect(parseDtraceStderrLine(line)).toEqual({ ...expected, message: line });
  });

  it('ignores blank lines and probe-count notes', () => {
    expect([parseDtraceStderrLine('  '), parseDtraceStderrLine("dtrace: script 'test/demo/intro/countdown-quant.d' matched 3 probes")]).toEqual([null, null]);
  });
});
