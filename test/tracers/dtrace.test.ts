// The dtrace(1) tracer against a stand-in dtrace (fixtures/stand-ins/dtrace) that prints what the
// completed program prints: real printa output keyed by the kernel second, drained as each second
// turns, between start/tick/end markers; plus the D script completion and the stderr classifier.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeatError } from '../../cli/model/heat-error.js';
import type { Snapshot } from '../../cli/model/snapshot.js';
import { parseDtraceStderrLine } from '../../cli/parse/dtrace-stderr.js';
import { DtraceTracer } from '../../cli/tracers/dtrace.js';
import {
  aggregationVarids,
  completeDtraceProgram,
  distributionAggregations,
} from '../../cli/tracers/dtrace-program.js';
import type { Program, TracerRun } from '../../cli/tracers/tracer.js';
import { buckets } from '../helpers/buckets.js';

const STAND_INS = fileURLToPath(new URL('../fixtures/stand-ins/', import.meta.url));
const ORIGINAL_PATH = process.env.PATH;

// The syscall-latency measurement as the D books write it.
const SYSCALL_LATENCY = `syscall:::entry { self->ts = timestamp; }
syscall:::return /self->ts/ {
  @lat_ns[probefunc] = quantize(timestamp - self->ts);
  self->ts = 0;
}
`;
const program: Program = {
  preset: 'custom',
  unit: 'ns',
  text: completeDtraceProgram(SYSCALL_LATENCY).text,
};
const root = { geteuid: () => 0 };

/** Collects snapshots, calling stop() once `stopAfter` have arrived. */
async function collect(run: TracerRun, stopAfter = Infinity): Promise<Snapshot[]> {
  const snapshots: Snapshot[] = [];
  for await (const s of run.snapshots) {
    snapshots.push(s);
    if (snapshots.length === stopAfter) run.stop();
  }
  return snapshots;
}

const summary = (s: Snapshot) => ({
  t: s.t,
  partial: s.partial,
  tables: s.histograms.map((h) => `${h.aggregation}[${h.key.join()}]`),
});

describe('DtraceTracer with the stand-in dtrace', () => {
  beforeEach(() => {
    process.env.PATH = `${STAND_INS}${delimiter}${ORIGINAL_PATH}`;
  });
  afterEach(() => {
    process.env.PATH = ORIGINAL_PATH;
    delete process.env.HEAT_DTRACE_STANDIN;
  });

  it('preflight finds dtrace on PATH and reads its version', async () => {
    await expect(new DtraceTracer(root).preflight()).resolves.toEqual({
      name: 'dtrace',
      version: 'Sun D 1.13',
    });
  });

  it('records whole seconds from the one after the start marker, drops from stderr, and the END output as the partial last second', async () => {
    const run = await new DtraceTracer(root).start(program);
    const started = Date.now();
    const snapshots = await collect(run, 3);
    expect(await run.exited).toEqual({ ok: true, message: '' });
    // Three whole seconds after the start-up one (whose quantround table is not recorded).
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(snapshots.map(summary)).toEqual([
      { t: 0, partial: false, tables: ['@lat_ns[write]', '@lat_ns[read]'] },
      { t: 1, partial: false, tables: ['@lat_ns[close]', '@lat_ns[read]'] },
      { t: 2, partial: false, tables: ['@lat_ns[]'] },
      {
        t: 3,
        partial: true,
        tables: ['@lat_ns[Hoover]', '@lat_ns[Nixon]', '@lat_ns[Harding]', '@lat_ns[Bush]'],
      },
    ]);
    const [first, second, third, last] = snapshots as [Snapshot, Snapshot, Snapshot, Snapshot];
    expect(first.histograms[0]).toEqual({
      aggregation: '@lat_ns',
      key: ['write'],
      scheme: 'log2',
      buckets: buckets([512, 1023, 1], [1024, 2047, 2], [2048, 4095, 3]),
    });
    expect(second.histograms[1]!.buckets).toEqual(buckets([512, 1023, 2], [1024, 2047, 1]));
    expect(third.histograms[0]!.buckets).toEqual(buckets([0, 0, 2], [1, 1, 6], [2, 3, 19]));
    expect(last.histograms.map((h) => h.buckets)).toEqual([
      buckets([10, null, -100]),
      buckets([null, -11, 25]),
      buckets([-10, -10, 15]),
      buckets([10, null, 150]),
    ]);
    expect([first.health, second.health, third.health, last.health]).toEqual([
      [],
      [
        { kind: 'drop', message: 'dtrace: 12 dynamic variable drops', count: 12 },
        { kind: 'drop', message: 'dtrace: 3 aggregation drops on CPU 1', count: 3 },
      ],
      [],
      [],
    ]);
  });

  it("reports a compile error as a failed exit with dtrace's own message", async () => {
    process.env.HEAT_DTRACE_STANDIN = 'compile-error';
    const run = await new DtraceTracer(root).start(program);
    const snapshots = await collect(run);
    const exit = await run.exited;
    expect(exit.ok).toBe(false);
    expect(exit.message).toMatch(
      /^dtrace: failed to compile script \/dev\/stdin: line 1: probe description syscall::nosuchcall:entry does not match any probes$/,
    );
    // No data. Whether the error also makes a health-only second is child-tracer.ts's choice.
    expect(snapshots.flatMap((s) => s.histograms)).toEqual([]);
  });

  it('keeps what arrived before dtrace died mid-run', async () => {
    process.env.HEAT_DTRACE_STANDIN = 'die';
    const run = await new DtraceTracer(root).start(program);
    const snapshots = await collect(run);
    expect(await run.exited).toEqual({
      ok: false,
      message: 'dtrace: processing aborted: Abort due to systemic unresponsiveness',
    });
    expect(snapshots.map(summary)).toEqual([
      { t: 0, partial: false, tables: ['@lat_ns[write]', '@lat_ns[read]'] },
      { t: 1, partial: true, tables: ['@lat_ns[close]', '@lat_ns[read]'] },
    ]);
    expect(snapshots[1]!.histograms[1]!.buckets).toEqual(buckets([512, 1023, 2]));
    expect(snapshots[1]!.health).toEqual([
      {
        kind: 'error',
        message: 'dtrace: processing aborted: Abort due to systemic unresponsiveness',
        count: 1,
      },
    ]);
  });

  it('ends the run at the end marker while dtrace is still detaching its probes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heat-dtrace-'));
    const exitedFile = join(dir, 'exited');
    process.env.HEAT_DTRACE_STANDIN = 'slow-detach';
    process.env.HEAT_DTRACE_STANDIN_EXITED = exitedFile;
    try {
      const run = await new DtraceTracer(root).start(program);
      const snapshots = await collect(run, 1);
      expect(await run.exited).toEqual({ ok: true, message: '' });
      expect(snapshots.map((s) => [s.t, s.partial])).toEqual([
        [0, false],
        [1, true],
      ]);
      expect(existsSync(exitedFile)).toBe(false); // the run is over; dtrace is not
      await waitFor(() => existsSync(exitedFile));
    } finally {
      delete process.env.HEAT_DTRACE_STANDIN_EXITED;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Resolves once `done()` holds, checking every 50 ms. */
async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 50));
}

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
    const error = await new DtraceTracer({ ...root, platform })
      .preflight()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeatError);
    expect((error as HeatError).message).toBe(
      'DTrace is needed for --tracer dtrace, but dtrace is not on PATH',
    );
    expect((error as HeatError).hint).toContain(hint);
  });

  it('asks for sudo when not root', async () => {
    process.env.PATH = `${STAND_INS}${delimiter}${ORIGINAL_PATH}`;
    await expect(new DtraceTracer({ geteuid: () => 501 }).preflight()).rejects.toThrow(
      'dtrace needs root to enable probes',
    );
  });
});

describe('completeDtraceProgram', () => {
  it('keys by the kernel second and writes the clause once per parity (the first copy runs the user predicate, then reads the clock; the second tests the parity alone), adds quiet, the start marker, a drain of the ended parity as each second turns, and the END clause', () => {
    const S = 'timestamp / 1000000000';
    expect(completeDtraceProgram(SYSCALL_LATENCY)).toEqual({
      aggregations: ['@lat_ns'],
      text: `syscall:::entry { self->ts = timestamp; }
this uint64_t heat_t; this uint64_t heat_s; syscall:::return /(this->heat_s = 0) == 0 && (self->ts) && ((this->heat_s = (this->heat_t = timestamp) / 1000000000) & 1) == 0/ {
  @lat_ns__heat_even[this->heat_s, probefunc] = quantize(this->heat_t - self->ts);
  self->ts = 0;
} syscall:::return /(this->heat_s & 1) == 1/ { @lat_ns__heat_odd[this->heat_s, probefunc] = quantize(this->heat_t - self->ts); self->ts = 0; }

/* Added by heat-record: distributions keyed by the kernel second, drained as each second ends. */
#pragma D option quiet
#pragma D option switchrate=10hz
#pragma D option aggrate=0
BEGIN { heat_tracer_drained_s = ${S}; printf("heat-tracer:start %d\\n", timestamp); }
tick-10ms /${S} != heat_tracer_drained_s && timestamp % 1000000000 >= 200000000 && (${S}) % 2 == 0/ { heat_tracer_drained_s = ${S}; printa(@lat_ns__heat_odd); trunc(@lat_ns__heat_odd); printf("heat-tracer:tick %d\\n", timestamp); }
tick-10ms /${S} != heat_tracer_drained_s && timestamp % 1000000000 >= 200000000 && (${S}) % 2 == 1/ { heat_tracer_drained_s = ${S}; printa(@lat_ns__heat_even); trunc(@lat_ns__heat_even); printf("heat-tracer:tick %d\\n", timestamp); }
END { printa(@lat_ns__heat_even); trunc(@lat_ns__heat_even); printa(@lat_ns__heat_odd); trunc(@lat_ns__heat_odd); printf("heat-tracer:end %d\\n", timestamp); }
`,
    });
  });

  it('adds a predicate to a clause without one, keys keyless distributions by the second alone, keeps the rest of the clause as written, and declares the variables once', () => {
    const { text } = completeDtraceProgram(
      'profile-97 { @q = quantize(arg0, 3); @l = lquantize(arg0, 0, 10); @ll[ustack(), "x,y"] = llquantize(arg0, 10, 0, 6, 20); @n = count(); }\nprofile-99 { @p = quantize(arg1); }',
    );
    expect(text).toContain(
      'this uint64_t heat_t; this uint64_t heat_s; profile-97 /((this->heat_s = (this->heat_t = timestamp) / 1000000000) & 1) == 0/ { @q__heat_even[this->heat_s] = quantize(arg0, 3); @l__heat_even[this->heat_s] = lquantize(arg0, 0, 10); @ll__heat_even[this->heat_s, ustack(), "x,y"] = llquantize(arg0, 10, 0, 6, 20); @n = count(); }',
    );
    expect(text).toContain(
      ' profile-97 /(this->heat_s & 1) == 1/ { @q__heat_odd[this->heat_s] = quantize(arg0, 3); @l__heat_odd[this->heat_s] = lquantize(arg0, 0, 10); @ll__heat_odd[this->heat_s, ustack(), "x,y"] = llquantize(arg0, 10, 0, 6, 20); @n = count(); }\nprofile-99 /((this->heat_s',
    );
    expect(text.match(/this uint64_t heat_s;/g)).toHaveLength(1);
  });

  it("keeps line numbers: the second copy joins the clause's last line, without its comments; the predicate and members named timestamp read the clock as written", () => {
    const script = `syscall::read:entry { self->ts = timestamp; }
syscall::read:return
/self->ts && timestamp > self->ts &&
 args[0]->timestamp > 0/ // a member, not the clock
{
  @lat[execname] = quantize((timestamp - self->ts) / 2); /* "//" in a comment */ printf("// %d\\n", x.timestamp);
}
tick-1s { x = 1; }
`;
    const lines = completeDtraceProgram(script).text.split('\n');
    expect(lines[2]).toBe('/(this->heat_s = 0) == 0 && (self->ts && timestamp > self->ts &&');
    expect(lines[3]).toBe(
      ' args[0]->timestamp > 0) && ((this->heat_s = (this->heat_t = timestamp) / 1000000000) & 1) == 0/ // a member, not the clock',
    );
    expect(lines[5]).toContain(
      '@lat__heat_even[this->heat_s, execname] = quantize((this->heat_t - self->ts) / 2); /* "//" in a comment */ printf("// %d\\n", x.timestamp);',
    );
    expect(lines[6]).toBe(
      '} syscall::read:return /(this->heat_s & 1) == 1/ { @lat__heat_odd[this->heat_s, execname] = quantize((this->heat_t - self->ts) / 2); printf("// %d\\n", x.timestamp); }',
    );
    expect(lines[7]).toBe('tick-1s { x = 1; }');
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
    expect(aggregationVarids(script)).toEqual(
      new Map([
        [1, '@enq'],
        [2, '@rq_ns'],
        [3, '@'],
        [4, '@sizes'],
      ]),
    );
    const { text } = completeDtraceProgram(script);
    expect(text.match(/#pragma D option quiet/g)).toHaveLength(1);
    expect(text).toContain(
      '} sched:::dequeue /(this->heat_s & 1) == 1/ { @rq_ns__heat_odd[this->heat_s, args[2]->cpu_id] = quantize(this->heat_t - ts[args[0]->pr_lwpid]); @__heat_odd[this->heat_s] = lquantize(args[2]->cpu_id, 0, 64, 1); @sizes__heat_odd[this->heat_s, "by cpu", cpu] = llquantize(arg0, 10, 0, 6, 20); printf("@notanaggregation = quantize(2)\\n"); }',
    );
    expect(text).toContain('@enq = count();'); // not a distribution: not keyed, not printed, but emptied at END
    expect(text).toContain('/* @commented = quantize(1) is not code */');
    expect(text).toContain('printf("@notanaggregation = quantize(2)\\n");');
    expect(text).toContain(
      'heat_tracer_drained_s = timestamp / 1000000000; printa(@rq_ns__heat_odd); trunc(@rq_ns__heat_odd); printa(@__heat_odd); trunc(@__heat_odd); printa(@sizes__heat_odd); trunc(@sizes__heat_odd); printf(',
    );
    expect(text).toContain(
      'END { printa(@rq_ns__heat_even); trunc(@rq_ns__heat_even); printa(@__heat_even); trunc(@__heat_even); printa(@sizes__heat_even); trunc(@sizes__heat_even); printa(@rq_ns__heat_odd); trunc(@rq_ns__heat_odd); printa(@__heat_odd); trunc(@__heat_odd); printa(@sizes__heat_odd); trunc(@sizes__heat_odd); trunc(@enq); printf(',
    );
  });

  it('--stacks: a stack companion per distribution in clauses guarded by the threshold, drained after the distributions behind its marker; END drains both parities of the distributions first', () => {
    const { text, aggregations } = completeDtraceProgram(SYSCALL_LATENCY, {
      which: 'user+kernel',
      above: 1000n,
    });
    expect(aggregations).toEqual(['@lat_ns']);
    // Each copy snapshots key and value and raises the flag the first copy's predicate lowered.
    expect(text).toContain(
      'this uint64_t heat_t; this uint64_t heat_s; this int heat_on; syscall:::return /(this->heat_on = 0) == 0 && (this->heat_s = 0) == 0 && (self->ts) && ((this->heat_s = (this->heat_t = timestamp) / 1000000000) & 1) == 0/ {\n  this->heat_on = 1; this->heat_k0_0 = probefunc; this->heat_v0 = this->heat_t - self->ts; @lat_ns__heat_even[this->heat_s, this->heat_k0_0] = quantize(this->heat_v0);',
    );
    expect(text).toContain(
      '} syscall:::return /(this->heat_s & 1) == 1/ { this->heat_on = 1; this->heat_k0_0 = probefunc; this->heat_v0 = this->heat_t - self->ts; @lat_ns__heat_odd[this->heat_s, this->heat_k0_0] = quantize(this->heat_v0); self->ts = 0; }',
    );
    const companion = (suffix: string, p: number) =>
      `syscall:::return /this->heat_on && (this->heat_s & 1) == ${p} && this->heat_v0 >= 1000/ { @lat_ns__heat_stk${suffix}[this->heat_s, this->heat_k0_0, ustack(), stack()] = quantize(this->heat_v0); }`;
    expect(text).toContain(` ${companion('__heat_even', 0)} ${companion('__heat_odd', 1)}\n`);
    expect(text).toContain(
      'printa(@lat_ns__heat_odd); trunc(@lat_ns__heat_odd); printf("heat-tracer:stacks @lat_ns user+kernel\\n"); printa(@lat_ns__heat_stk__heat_odd); trunc(@lat_ns__heat_stk__heat_odd); printf("heat-tracer:tick',
    );
    expect(text).toContain(
      'END { printa(@lat_ns__heat_even); trunc(@lat_ns__heat_even); printa(@lat_ns__heat_odd); trunc(@lat_ns__heat_odd); printf("heat-tracer:stacks @lat_ns user+kernel\\n"); printa(@lat_ns__heat_stk__heat_even); trunc(@lat_ns__heat_stk__heat_even); printf("heat-tracer:stacks @lat_ns user+kernel\\n"); printa(@lat_ns__heat_stk__heat_odd); trunc(@lat_ns__heat_stk__heat_odd); printf("heat-tracer:end',
    );
    // No threshold: no guard; kernel stacks alone.
    const all = completeDtraceProgram(SYSCALL_LATENCY, { which: 'kernel', above: 0n }).text;
    expect(all).toContain(
      'syscall:::return /this->heat_on && (this->heat_s & 1) == 0/ { @lat_ns__heat_stk__heat_even[this->heat_s, this->heat_k0_0, stack()] = quantize(this->heat_v0); }',
    );
  });

  it('refuses a script without a distribution, or one that prints its own', () => {
    expect(() => completeDtraceProgram('profile-997 { @samples[execname] = count(); }')).toThrow(
      'the D script defines no distribution',
    );
    expect(() =>
      completeDtraceProgram(`${SYSCALL_LATENCY}tick-1s { printa(@lat_ns); trunc(@lat_ns); }`),
    ).toThrow('the D script prints @lat_ns itself');
  });
});

describe('parseDtraceStderrLine', () => {
  it.each([
    ['dtrace: 12 drops on CPU 0', { kind: 'drop', count: 12 }],
    ['dtrace: 1 drop on CPU 3', { kind: 'drop', count: 1 }],
    ['dtrace: 3 aggregation drops on CPU 1', { kind: 'drop', count: 3 }],
    ['dtrace: 5 dynamic variable drops with non-empty dirty list', { kind: 'drop', count: 5 }],
    ['dtrace: 2 speculative drops', { kind: 'drop', count: 2 }],
    [
      'dtrace: error on enabled probe ID 3 (ID 812: syscall::read:return): invalid address (0x0) in action #1 at DIF offset 12',
      { kind: 'error', count: 1 },
    ],
    [
      'dtrace: failed to compile script x.d: line 3: syntax error near "}"',
      { kind: 'error', count: 1 },
    ],
    ['dtrace: buffer size lowered to 2m', { kind: 'warning', count: 1 }],
  ])('%s', (line, expected) => {
    expect(parseDtraceStderrLine(line)).toEqual({ ...expected, message: line });
  });

  it('ignores blank lines and probe-count notes', () => {
    expect([
      parseDtraceStderrLine('  '),
      parseDtraceStderrLine("dtrace: script 'test/demo/intro/countdown-quant.d' matched 3 probes"),
    ]).toEqual([null, null]);
  });
});
