// The API of our libdtrace binding (C sources in libdtrace-addon/, built to dist/libdtrace/) and
// its loader. Consumer keeps node-libdtrace's methods and value shapes (bcantrill/node-libdtrace,
// README) and adds snapshot(), the recorder's per-second read with exact 64-bit counts.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  ADDON_PATH,
  GET_DTRACE_HINT,
  missingBuildPrerequisite,
} from './libdtrace-prerequisites.js';

export interface ProbeDescription {
  provider: string;
  module: string;
  function: string;
  name: string;
}

/** A distribution's non-zero buckets as node-libdtrace gave them: [[lo, hi], count], INT64 ends as ±2^63. */
export type AggregationRanges = [[number, number], number][];

export interface AggregationInfo {
  /** As declared, without the @: "lat_us", "_" for the anonymous aggregation. */
  name: string;
  action:
    | 'quantize'
    | 'lquantize'
    | 'llquantize'
    | 'count'
    | 'sum'
    | 'min'
    | 'max'
    | 'avg'
    | 'stddev'
    | 'unknown';
  /** lquantize: { base, step, levels }; llquantize: { factor, low, high, steps }; else {}. */
  params: Record<string, number>;
}

/** One distribution's change since the last snapshot. lo/hi are inclusive; INT64_MIN / INT64_MAX are open ends. */
export interface SnapshotRecord extends AggregationInfo {
  varid: number;
  /** Integers as exact decimal text. */
  key: string[];
  lo: BigInt64Array;
  hi: BigInt64Array;
  count: BigInt64Array;
}

export interface LibdtraceSnapshot {
  records: SnapshotRecord[];
  /** What libdtrace's drop and error handlers reported since the last snapshot. */
  health: { kind: 'drop' | 'error'; message: string; count: number }[];
  /** The program called exit(): tracing has stopped. */
  done: boolean;
}

/** One libdtrace handle. Every failure throws an Error with a one-line message. */
export interface LibdtraceConsumer {
  setopt(option: string, value?: string | number | boolean): void;
  strcompile(program: string): void;
  go(): void;
  /** fn(probe, { data }) per trace()/printf() record in the principal buffer, then fn(probe). */
  consume(fn: (probe: ProbeDescription, record?: { data: unknown }) => void): void;
  /** fn per aggregation entry gathered since the last walk, which it then removes. */
  aggwalk(
    fn: (
      varid: number,
      key: (string | number)[],
      value: number | AggregationRanges,
      info: AggregationInfo,
    ) => void,
  ): void;
  /** Distribution changes since the last snapshot; entries stay, so nothing is lost between reads. */
  snapshot(): LibdtraceSnapshot;
  aggclear(): void;
  aggmin(): number;
  aggmax(): number;
  stop(): void;
  /** Stops and closes on a worker thread: detaching many probes takes the kernel long (720: ~55 s). */
  close(): Promise<void>;
  closeSync(): void;
  /** "Oracle D 2.0" (Linux), "Sun D 1.13" (illumos, macOS). */
  version(): string;
}

export interface LibdtraceModule {
  Consumer: new () => LibdtraceConsumer;
}

export type LibdtraceLoader = () => Promise<LibdtraceModule>;

/** Why the binding cannot load, in one line, and how to get it. */
export class BindingMissing extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** Loads dist/libdtrace/heat_libdtrace.node, or throws BindingMissing saying what is missing. */
export async function loadLibdtrace(): Promise<LibdtraceModule> {
  if (!existsSync(ADDON_PATH)) {
    const missing = missingBuildPrerequisite();
    if (missing)
      throw new BindingMissing(`the libdtrace binding is not built: ${missing}`, GET_DTRACE_HINT);
    throw new BindingMissing(
      `the libdtrace binding is not built (${ADDON_PATH} is missing)`,
      'build it: npm run build:libdtrace',
    );
  }
  try {
    return createRequire(import.meta.url)(ADDON_PATH) as LibdtraceModule;
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
    throw new BindingMissing(
      `the libdtrace binding does not load: ${why}`,
      `rebuild it against this machine's libdtrace: npm run build:libdtrace; ${GET_DTRACE_HINT}`,
    );
  }
}
