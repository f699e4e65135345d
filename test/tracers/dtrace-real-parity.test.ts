// Real dtrace(1) (Oracle Linux DTrace 2.0), as root: the D rewrite (dtrace-second-aggregations.ts)
// books every event of a clause exactly once, and no drain loses one. A getppid loop runs for
// seconds while the drains print and truncate each ended parity; the distribution's counts, as
// the recorder assembles its seconds, must equal a count() of the same events beside it.
// Skipped (saying why) where `dtrace -V` fails, failing in CI.

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { SecondKeyedAssembler } from '../../cli/parse/second-keyed-assembler.js';
import { DtraceTextParser } from '../../cli/parse/dtrace-text.js';
import { TICK_MARKER } from '../../cli/parse/trace-event.js';
import { completeDtraceProgram } from '../../cli/tracers/dtrace-program.js';
import { describeWithDtrace } from '../helpers/real-dtrace.js';
import { compileWorkload } from '../helpers/sleep-workload.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const LOOP_S = 3;
const CALLS = 'heat-test:calls';

/**
 * The user's script: a distribution, and a count of the same events in a clause of its own (not
 * rewritten, so it runs once a firing). The distribution's clause leaves its predicate true, so
 * a rewrite that ran both copies of it, or neither, would show.
 */
const SCRIPT = `syscall::getppid:entry /execname == "parity-loop"/ { self->ts = timestamp; }
syscall::getppid:return /self->ts/ { @lat_ns = quantize(timestamp - self->ts); }
syscall::getppid:return /self->ts/ { @calls = count(); self->ts = 0; }
END { printa("${CALLS} %@d\\n", @calls); }
`;

/** dtrace(1) running `program`, its output so far, and a wait for more tick markers. */
function startDtrace(program: string) {
  const file = tmp('program.d');
  writeFileSync(file, program);
  const child = spawn('dtrace', ['-q', '-s', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const run = { out: '', err: '', exited: false };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (run.out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (run.err += d));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  void closed.then(() => (run.exited = true));
  const ticks = () => run.out.split(TICK_MARKER).length - 1;
  /** Resolves once `n` more tick markers came; rejects if dtrace exits first. */
  const moreTicks = (n: number) => {
    const target = ticks() + n;
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (ticks() >= target) resolve();
        else if (run.exited) reject(new Error(`dtrace exited: ${run.err}`));
        else setImmediate(() => child.stdout.once('data', check));
      };
      check();
      void closed.then(check);
    });
  };
  return { child, run, closed, moreTicks };
}

describeWithDtrace('the D rewrite on real dtrace (Linux DTrace 2.0, root)', () => {
  it("books each event once: the assembled seconds' counts equal a count() of the same events", async () => {
    const loop = compileWorkload('getppid-loop', tmp('parity-loop'));
    const { text, aggregations } = completeDtraceProgram(SCRIPT);
    const dtrace = startDtrace(text);
    await dtrace.moreTicks(1); // attached and draining
    await new Promise((resolve) =>
      spawn(loop, [String(LOOP_S)], { stdio: 'ignore' }).on('close', resolve),
    );
    await dtrace.moreTicks(2); // the loop's last second drained
    dtrace.child.kill('SIGTERM');
    await dtrace.closed;
    const { out, err } = dtrace.run;

    const calls = Number(new RegExp(`${CALLS} (\\d+)`).exec(out)?.[1]);
    const parser = new DtraceTextParser({ aggregations });
    const assembler = new SecondKeyedAssembler();
    const seconds = [...assembler.push(parser.push(out), 0), ...assembler.push(parser.end(), 0)];
    seconds.push(...assembler.end());
    const perSecond = seconds.map((s) =>
      Number(s.histograms.reduce((n, h) => n + h.buckets.reduce((m, b) => m + b.count, 0n), 0n)),
    );
    const why = `per second ${perSecond.join(', ')}; stderr: ${err}`;
    expect(calls, why).toBeGreaterThan(100_000); // the loop ran, and was traced
    expect(perSecond.filter((n) => n > 0).length, why).toBeGreaterThanOrEqual(LOOP_S); // both parities
    expect(
      perSecond.reduce((a, b) => a + b, 0),
      why,
    ).toBe(calls);
  }, 120_000);
});
