// The libdtrace tracer: drives DTrace in-process through our binding (libdtrace-addon/, loaded by
// libdtrace-binding.ts) and takes one snapshot a second: typed buckets with exact counts, no text.
// The D program runs as written (no printa or tick clause); a second ends when its snapshot is taken.

import { HeatError } from '../model/heat-error.js';
import type { Bucket, Histogram, Snapshot } from '../model/snapshot.js';
import { FUNCTION_SCHEMES, isDtraceFunction } from '../parse/dtrace-buckets.js';
import type { Interval } from '../parse/interval-assembler.js';
import { AsyncQueue } from './async-queue.js';
import { IntervalClock } from './interval-clock.js';
import {
  BindingMissing,
  loadLibdtrace,
  type LibdtraceConsumer,
  type LibdtraceLoader,
  type LibdtraceModule,
  type LibdtraceSnapshot,
  type SnapshotRecord,
} from './libdtrace-binding.js';
import type { Program, StartOptions, Tracer, TracerExit, TracerInfo, TracerRun } from './tracer.js';

export type { LibdtraceConsumer, LibdtraceLoader, LibdtraceModule } from './libdtrace-binding.js';
export { loadLibdtrace } from './libdtrace-binding.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SECOND_NS = 1_000_000_000n;
/**
 * aggrate 0: every snapshot reads the aggregation maps (a rate-limited read would hand this second's
 * counts to the next). switchrate 10000hz: reading the principal buffer (for probe errors) waits at
 * most 0 ms in epoll instead of up to a second, so the event loop never stalls.
 */
const RECORDER_OPTIONS: [string, string][] = [
  ['aggrate', '0'],
  ['switchrate', '10000hz'],
];

/** True when the binding loads. */
export async function libdtraceAvailable(
  loader: LibdtraceLoader = loadLibdtrace,
): Promise<boolean> {
  return loader().then(
    () => true,
    () => false,
  );
}

export class LibdtraceTracer implements Tracer {
  readonly name = 'libdtrace' as const;

  /** @param loader how to load the binding @default loadLibdtrace */
  constructor(private readonly loader: LibdtraceLoader = loadLibdtrace) {}

  async preflight(): Promise<TracerInfo> {
    const consumer = newConsumer(await this.load());
    try {
      return tracerInfo(consumer);
    } finally {
      consumer.closeSync();
    }
  }

  /** Compiles and enables program.text as written. */
  async start(program: Program, options: StartOptions = {}): Promise<TracerRun> {
    const consumer = newConsumer(await this.load());
    return new LibdtraceRun(consumer, program.text, tracerInfo(consumer), options).run;
  }

  private async load(): Promise<LibdtraceModule> {
    try {
      return await this.loader();
    } catch (err) {
      if (err instanceof BindingMissing) throw new HeatError(err.message, err.hint);
      throw new HeatError(
        `the libdtrace binding does not load: ${firstLine(err)}`,
        'rebuild it: npm run build:libdtrace; or use --tracer dtrace',
      );
    }
  }
}

function tracerInfo(consumer: LibdtraceConsumer): TracerInfo {
  return { name: 'libdtrace', version: consumer.version() };
}

/** A new Consumer; dtrace_open() fails without privileges ("DTrace requires additional privileges"). */
function newConsumer(module: LibdtraceModule): LibdtraceConsumer {
  try {
    return new module.Consumer();
  } catch (err) {
    throw new HeatError(
      `libdtrace could not open DTrace: ${firstLine(err)}`,
      'run with sudo: sudo heat-record ...',
    );
  }
}

/** One recording: compile and go, then a snapshot at each whole second after go until stop, exit() or failure. */
class LibdtraceRun {
  readonly run: TracerRun;
  private readonly queue = new AsyncQueue<Snapshot>();
  private readonly clock = new IntervalClock();
  private startNs = 0n;
  private due = 0n;
  private seconds = 0;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private settle!: (exit: TracerExit) => void;

  constructor(
    private readonly consumer: LibdtraceConsumer,
    script: string,
    info: TracerInfo,
    options: StartOptions,
  ) {
    const exited = new Promise<TracerExit>((resolve) => (this.settle = resolve));
    this.run = { info, snapshots: this.queue, stop: () => this.finish(null), exited };
    try {
      for (const [option, value] of RECORDER_OPTIONS) consumer.setopt(option, value);
      consumer.strcompile(script);
      consumer.go();
    } catch (err) {
      this.finish(firstLine(err), true);
      return;
    }
    this.startNs = process.hrtime.bigint();
    options.onAttached?.(Date.now());
    this.schedule();
  }

  /**
   * The next snapshot on a whole second of the monotonic clock (the clock of D's timestamp), as
   * dtrace(1)'s tick-1s and bpftrace's interval fire here; the first at least half a second after go.
   * A late timer does not shift the ones after it.
   */
  private schedule(): void {
    const first = ((this.startNs + SECOND_NS / 2n) / SECOND_NS + 1n) * SECOND_NS;
    this.due = first + BigInt(this.seconds) * SECOND_NS;
    this.timer = setTimeout(() => this.tick(), this.msToDue());
  }

  private msToDue(): number {
    return Math.max(0, Math.ceil(Number(this.due - process.hrtime.bigint()) / 1e6));
  }

  private tick(): void {
    if (process.hrtime.bigint() < this.due) {
      this.timer = setTimeout(() => this.tick(), this.msToDue()); // timers may fire up to 1 ms early
      return;
    }
    this.seconds++;
    try {
      if (this.read(false).done) return this.finish(null, true); // the program called exit()
    } catch (err) {
      return this.finish(firstLine(err), true);
    }
    this.schedule();
  }

  /** Takes a snapshot and queues its second. An empty partial second is no second, as with dtrace(1). */
  private read(final: boolean): LibdtraceSnapshot {
    const tickNs = process.hrtime.bigint(); // the second ends as the read of the maps begins
    const snapshot = this.consumer.snapshot();
    const histograms = snapshot.records.flatMap(toHistogram);
    if (!final || histograms.length > 0 || snapshot.health.length > 0) {
      this.emit({ histograms, health: snapshot.health, tickNs, final, skipped: 0 });
    }
    return snapshot;
  }

  /**
   * Ends the run. Unless the last snapshot was already taken, stop() disables the probes and one more
   * snapshot gives the partial second; a failure (message given) reads nothing more. The recording
   * is finalized at once; closing the consumer (detaching the probes) goes on on a worker thread.
   */
  private finish(failure: string | null, lastTaken = false): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    const message = failure ?? (lastTaken ? null : this.stopAndReadLast());
    this.queue.close();
    this.settle({ ok: message === null, message: message ?? '' });
    this.consumer.close().catch(() => undefined); // nothing is left to report to
  }

  /** Disables the probes and reads the partial last second; the failure message, or null. */
  private stopAndReadLast(): string | null {
    try {
      this.consumer.stop();
      this.read(true);
      return null;
    } catch (err) {
      return firstLine(err);
    }
  }

  private emit(interval: Interval): void {
    this.queue.push(this.clock.toSnapshot(interval, Date.now()));
  }
}

/** A distribution record as a Histogram: "@name" ("@" for "_"), INT64_MIN / INT64_MAX as open ends. */
function toHistogram(record: SnapshotRecord): Histogram[] {
  if (!isDtraceFunction(record.action)) return [];
  const buckets: Bucket[] = Array.from(record.count, (count, i) => ({
    lo: record.lo[i] === INT64_MIN ? null : record.lo[i]!,
    hi: record.hi[i] === INT64_MAX ? null : record.hi[i]!,
    count,
  }));
  return [
    {
      aggregation: record.name === '_' ? '@' : `@${record.name}`,
      key: record.key,
      scheme: FUNCTION_SCHEMES[record.action],
      buckets,
    },
  ];
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).trim().split('\n')[0]!;
}
