// The recording format's constants and metadata keys, shared by the recorder (cli/) and the
// viewer (viewer/). The tables themselves are defined in recording.sql beside this file.

import type { Mark } from './marks.js';

/** PRAGMA application_id of every recording: "HTRH". Tells a recording from any other SQLite file. */
export const APPLICATION_ID = 0x48545248;

/** PRAGMA user_version written by this version of Heat Tracer. Readers refuse newer versions. */
export const FORMAT_VERSION = 1;

/**
 * Rollup window sizes in seconds, finest first. Every level holds the all-series sum (series 0);
 * levels from PER_SERIES_ROLLUP_MIN_LEVEL up also hold one row per series. Added in v1.
 */
export const ROLLUP_LEVELS = [1, 10, 60, 600, 3600] as const;

/** The finest rollup level with per-series rows (finer per-series data is hist itself). Added in v1. */
export const PER_SERIES_ROLLUP_MIN_LEVEL = 60;

/** series_id of the all-series sum in the rollup table. */
export const ALL_SERIES = 0;

/**
 * What a health row says happened (health.kind, CHECKed in recording.sql): events lost (drop),
 * errors and warnings the tracer printed, seconds missed (gap), the tracer's exit. Added in v1.
 */
export const HEALTH_KINDS = ['drop', 'error', 'warning', 'gap', 'exit'] as const;
export type HealthKind = (typeof HEALTH_KINDS)[number];

/** Value units a recording can hold. `count` is a plain number with no time unit. */
export const UNITS = ['ns', 'us', 'ms', 's', 'count'] as const;
export type Unit = (typeof UNITS)[number];

/** Nanoseconds per unit, for conversions; `count` has none. */
export const NS_PER_UNIT: Record<Unit, number | null> = {
  ns: 1,
  us: 1e3,
  ms: 1e6,
  s: 1e9,
  count: null,
};

/** Bucket schemes a series can have. `log2/K` is bpftrace's hist(n, K) with 2^K sub-buckets. */
export type SchemeName = 'log2' | `log2/${number}` | 'linear' | 'log-linear' | 'unknown';

/** Why a recording ended (meta.end_reason). */
export type EndReason =
  'duration' | 'interrupted' | 'tracer-exited' | 'tracer-failed' | 'write-failed' | 'imported';

/** What ended a recording, in words for people (info, the viewer). */
const END_REASON_WORDS: Record<EndReason, string> = {
  duration: 'ended after the --duration asked for',
  interrupted: 'stopped by Ctrl-C or a signal',
  'tracer-exited': 'the tracer exited on its own',
  'tracer-failed': 'the tracer failed (see health)',
  'write-failed': 'writing failed: the disk was full or the file could not be written (see health)',
  imported: 'imported from saved tracer output',
};

/** The end reason in words; null when there is none; the raw value when it is not one we know. */
export function endReasonWords(reason: string | null | undefined): string | null {
  if (!reason) return null;
  return Object.hasOwn(END_REASON_WORDS, reason) ? END_REASON_WORDS[reason as EndReason] : reason;
}

/**
 * The meta table, key by key. Every value is stored as text.
 * All keys added in v1.
 */
export interface RecordingMeta {
  format_version: string;
  /** bpftrace | dtrace | libdtrace | synthetic | import:<format> */
  tracer: string;
  tracer_version: string;
  host: string;
  /** e.g. linux, illumos, darwin, freebsd */
  os: string;
  /** Kernel release, e.g. 6.18.44 */
  kernel: string;
  arch: string;
  /** Wall time of second 0, ISO 8601 UTC, and the same in Unix milliseconds. */
  start_time: string;
  start_ms: string;
  /** Empty until the recording ends. */
  end_time: string;
  end_ms: string;
  end_reason: string;
  /** JSON array of argv as the user typed it. */
  command_line: string;
  /** Preset name, or "custom" for -e / -s. */
  preset: string;
  /** The exact program text the tracer ran, including the lines the recorder added. */
  script: string;
  unit: Unit;
  heat_record_version: string;
  /**
   * recording (also: killed before its end was written) | complete | tracer-failed |
   * write-failed (the disk filled up; added in v1) | incomplete (a clip or merge of a recording
   * that never wrote its end; added in v1)
   */
  status: string;
  /** For a clip or merge: JSON {command, source(s), from, to}. Optional. Added in v1. */
  derived_from?: string;
  /**
   * Stacks recorded with the histograms (tables stack, stack_hist): "user", "kernel" (e.g. for
   * block I/O or run-queue waits, whose user stack is whatever ran when the event fired) or
   * "user+kernel" (see StacksChoice); absent or empty: none. Optional. Added in v1 (issue 15).
   */
  stacks?: string;
  /** Only events at or above this value (the recording's unit) carry a stack; "0": all. Optional. Added in v1 (issue 15). */
  stacks_above?: string;
}

/** The values of meta.stacks: which stacks an event carries. Added in v1 (issue 15). */
export const STACKS_CHOICES = ['user', 'kernel', 'user+kernel'] as const;
export type StacksChoice = (typeof STACKS_CHOICES)[number];

/**
 * meta.status of a recording made from others (a clip, a merge), from the sources' statuses:
 * "complete" only when every source is; "incomplete" when one never wrote its end (killed, or
 * still recording); else the first failure. A clip of a killed recording never claims to be complete.
 */
export function derivedStatus(sourceStatuses: readonly string[]): string {
  if (sourceStatuses.every((s) => s === 'complete')) return 'complete';
  if (sourceStatuses.some((s) => s === 'recording' || s === 'incomplete' || s === ''))
    return 'incomplete';
  return sourceStatuses.find((s) => s !== 'complete')!;
}

export type MetaKey = keyof RecordingMeta;

export const META_KEYS: readonly MetaKey[] = [
  'format_version',
  'tracer',
  'tracer_version',
  'host',
  'os',
  'kernel',
  'arch',
  'start_time',
  'start_ms',
  'end_time',
  'end_ms',
  'end_reason',
  'command_line',
  'preset',
  'script',
  'unit',
  'heat_record_version',
  'status',
];

/** Human label of a unit: "µs" for us. */
export function unitLabel(unit: Unit): string {
  return unit === 'us' ? 'µs' : unit;
}

/** Version of the live message format (schemas/live-message.schema.json). */
export const LIVE_MESSAGE_VERSION = 1;

/** An integer as it travels in JSON: a number while exact, a decimal string beyond 2^53. */
export type JsonInt = number | string;

/** GET /live, SSE event "hello": what the server holds when a connection opens. Added in v1. */
export interface LiveHello {
  v: 1;
  type: 'hello';
  lastT: number;
  ended: boolean;
}

/** GET /live, SSE event "second" (id = t): one committed second, self-contained. Added in v1. */
export interface LiveSecond {
  v: 1;
  type: 'second';
  t: number;
  wallMs: number;
  events: JsonInt;
  partial: boolean;
  series: { id: number; aggregation: string; key: string[]; scheme: string }[];
  buckets: { id: number; lo: JsonInt | null; hi: JsonInt | null }[];
  /** [seriesId, bucketId, count] */
  counts: [number, number, JsonInt][];
  health: { kind: string; count: number; message: string }[];
  /**
   * heat-record --stacks: the second's stack rows (table stack_hist), present only when it has
   * some. defs: every stack referenced (frames outermost first, as in table stack); counts:
   * [seriesId, stackId, bucketId, count]. The series and buckets they name are in `series` and
   * `buckets` above. Added in v1 (issue 15).
   */
  stacks?: {
    defs: { id: number; frames: string[] }[];
    counts: [number, number, number, JsonInt][];
  };
}

/**
 * GET /live, SSE event "mark" (no id: Last-Event-ID stays the last second's t): a mark of the
 * recording (schemas/marks.ts). Every mark the server holds is sent after "hello", then each new
 * one as it is added (e.g. by `heat-record mark` while recording); a client keeps one per id.
 * Added in v1 (issue 13).
 */
export interface LiveMark extends Mark {
  v: 1;
  type: 'mark';
}

/** GET /live, SSE event "end": no more seconds will come. Added in v1. */
export interface LiveEnd {
  v: 1;
  type: 'end';
  lastT: number;
  reason: string;
  /** meta.status and meta.end_ms (Unix ms) as the recorder wrote them at the end, so a viewer that
   * loaded the file while it was recording can show how it ended. Added in v1 (issue 13). */
  status: string;
  endMs: number;
}
