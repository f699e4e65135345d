// The libdtrace tracer: drives DTrace in-process through the native binding bcantrill/node-libdtrace
// (the 2011 heat-tracer's way), walking the aggregations itself once a second. The binding is not
// shipped with heat-record; it is loaded at run time if it was built and installed by hand.
// Value shapes: tracer-formats.md 2.3 and node-libdtrace's libdtrace.cc / tests.

import { createRequire } from 'node:module';
import type { SchemeName } from '../../schemas/format.js';
import { HeatError } from '../model/heat-error.js';
import type { Bucket, Histogram, Snapshot } from '../model/snapshot.js';
import { FUNCTION_SCHEMES, isDtraceFunction } from '../parse/dtrace-buckets.js';
import type { Interval } from '../parse/interval-assembler.js';
import { AsyncQueue } from './async-queue.js';
import { aggregationVarids, scriptAggregations } from './dtrace-program.js';
import { IntervalClock } from './interval-clock.js';
import type { Program, StartOptions, Tracer, TracerExit, TracerInfo, TracerRun } from './tracer.js';

/** One libdtrace handle (node-libdtrace's `Consumer`), as far as this tracer uses it. */
export interface LibdtraceConsumer {
  strcompile(program: string): void;
  setopt(option: string, value?: string | number | boolean): void;
  go(): void;
  /** Calls back once per record gathered since the last walk, then removes the records. */
  aggwalk(callback: (varid: number, key: unknown[], value: unknown) => void): void;
  stop(): void;
  /** e.g. "Sun D 1.13"; missing in node-libdtrace releases before llquantize support. */
  version?(): string;
}

export interface LibdtraceModule {
  Consumer: new () => LibdtraceConsumer;
}

export type LibdtraceLoader = () => Promise<LibdtraceModule>;

const BUILD_HINT = 'build it from source (git clone https://github.com/bcantrill/node-libdtrace, port it to the current Node API, npm install it into heat-record\'s folder), or use --tracer dtrace';
/** INT64_MIN / INT64_MAX reach JS as ∓9223372036854775808 (printed ∓9223372036854776000): open ends. */
const INT64_EDGE = 2 ** 63;
const WALK_EVERY_MS = 1000;

/** Loads the `libdtrace` package (a CommonJS native addon) from heat-record's node_modules. */
export async function loadLibdtrace(): Promise<LibdtraceModule> {
  return createRequire(import.meta.url)('libdtrace') as LibdtraceModule;
}

/** True when the native binding loads. */
export async function libdtraceAvailable(loader: LibdtraceLoader = loadLibdtrace): Promise<boolean> {
  return loader().then(() => true, () => false);
}

export class LibdtraceTracer implements Tracer {
  readonly name = 'libdtrace' as const;

  /** @param loader how to load node-libdtrace @default loadLibdtrace */
  constructor(private readonly loader: LibdtraceLoader = loadLibdtrace) {}

  async preflight(): Promise<TracerInfo> {
    return tracerInfo(newConsumer(await this.load()));
  }

  /** Compiles and enables program.text as written: no printa or tick clause is needed. */
  async start(program: Program, options: StartOptions = {}): Promise<TracerRun> {
    const consumer = newConsumer(await this.load());
    return new LibdtraceRun(consumer, program.text, tracerInfo(consumer), options).run;
  }

  private async load(): Promise<LibdtraceModule> {
    try {
      return await this.loader();
    } catch (err) {
      throw new HeatError(`the libdtrace native binding (node-libdtrace) is not installed: ${firstLine(err)}`, BUILD_HINT);
    }
  }
}

function tracerInfo(consumer: LibdtraceConsumer): TracerInfo {
  return { name: 'libdtrace', version: consumer.version?.() ?? 'unknown' };
}

/** A new Consumer; dtrace_open() fails without privileges ("DTrace requires additional privileges"). */
function newConsumer(module: LibdtraceModule): LibdtraceConsumer {
  try {
    return new module.Consumer();
  } catch (err) {
    throw new HeatError(`libdtrace could not open DTrace: ${firstLine(err)}`, 'run with sudo: sudo heat-record ...');
  }
}

/** One recording: compile and go, then a walk per second until stop() or a failed walk. */
class LibdtraceRun {
  readonly run: TracerRun;
  private readonly queue = new AsyncQueue<Snapshot>();
  private readonly clock = new IntervalClock();
  private readonly names: Map<number, string>;
  private readonly schemes: Map<string, SchemeName>;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private settle!: (exit: TracerExit) => void;

  constructor(private readonly consumer: LibdtraceConsumer, script: string, info: TracerInfo, options: StartOptions) {
    this.names = aggregationVarids(script);
    this.schemes = distributionSchemes(script);
    const exited = new Promise<TracerExit>((resolve) => (this.settle = resolve));
    this.run = { info, snapshots: this.queue, stop: () => this.finish(null), exited };
    try {
      consumer.strcompile(script);
      // aggwalk() only takes a fresh snapshot when aggrate allows (default 1hz); a walk a little early
      // would then see nothing new and the next one two seconds' worth.
      consumer.setopt('aggrate', '10hz');
      consumer.go();
    } catch (err) {
      this.finish(compileMessage(err, script));
      return;
    }
    options.onAttached?.(Date.now());
    this.timer = setInterval(() => this.walk(false), WALK_EVERY_MS);
  }

  /** Takes the records of the second that just ended; a failed walk ends the run. */
  private walk(final: boolean): boolean {
    const histograms: Histogram[] = [];
    try {
      this.consumer.aggwalk((varid, key, value) => {
        const h = this.histogram(varid, key, value);
        if (h) histograms.push(h);
      });
    } catch (err) {
      this.finish(firstLine(err));
      return false;
    }
    // An empty partial second is no second, as with dtrace(1) (see child-tracer.ts).
    if (!final || histograms.length > 0) this.emit({ histograms, health: [], tickNs: process.hrtime.bigint(), final, skipped: 0 });
    return true;
  }

  private histogram(varid: number, key: unknown[], value: unknown): Histogram | null {
    const aggregation = this.names.get(varid) ?? `@${varid}`;
    const scheme = this.schemes.get(aggregation);
    if (!scheme || !Array.isArray(value)) return null; // count(), sum(), avg() ... are not distributions
    return { aggregation, key: key.map(String), scheme, buckets: value.map(toBucket) };
  }

  /**
   * Ends the run: on stop() a last walk gives the partial second; a failure (message given) ends it
   * with no further second, the message going to `exited`, as with dtrace(1).
   */
  private finish(failure: string | null): void {
    if (this.finished) return;
    clearInterval(this.timer);
    if (failure === null && !this.walk(true)) return; // the walk failed and finished the run itself
    this.finished = true;
    try {
      this.consumer.stop();
    } catch {
      // Already stopped, or never started: nothing left to release.
    }
    this.queue.close();
    this.settle({ ok: failure === null, message: failure ?? '' });
  }

  private emit(interval: Interval): void {
    this.queue.push(this.clock.toSnapshot(interval, Date.now()));
  }
}

/** `[[lo, hi], count]` with inclusive bounds; INT64_MIN / INT64_MAX mean an open end. */
function toBucket(entry: unknown): Bucket {
  const [[lo, hi], count] = entry as [[number, number], number];
  return { lo: lo <= -INT64_EDGE ? null : BigInt(lo), hi: hi >= INT64_EDGE ? null : BigInt(hi), count: BigInt(count) };
}

function distributionSchemes(script: string): Map<string, SchemeName> {
  const schemes = new Map<string, SchemeName>();
  for (const [name, fn] of scriptAggregations(script)) if (fn && isDtraceFunction(fn)) schemes.set(name, FUNCTION_SCHEMES[fn]);
  return schemes;
}

/** node-libdtrace repeats the whole program in its message: "couldn't compile '<program>': <why>". */
function compileMessage(err: unknown, script: string): string {
  return firstLine((err instanceof Error ? err.message : String(err)).replace(`'${script}'`, 'the D program'));
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).trim().split('\n')[0]!;
}
