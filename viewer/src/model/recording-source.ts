// What the model needs from a stored recording, independent of how it is read (sql.js over a
// file's bytes, whole or read in parts; the same file growing under a live tail). Rows come in
// time order. A source reading its file in parts may answer a read with DetailPending.

import type { HealthKind, Unit } from '../../../schemas/format.js';
import type { Mark, NewMark } from '../../../schemas/marks.js';
import type { AxisBucket } from './bucket-axis.js';
import type { Emitter } from './emitter.js';

export interface SeriesInfo {
  id: number;
  aggregation: string;
  /** The key tuple joined with ", " (for display and search). */
  key: string;
  keyParts: string[];
  scheme: string;
}

export type { HealthKind };

export interface HealthRow {
  t: number | null;
  kind: HealthKind;
  count: number;
  message: string;
}

/** Seconds first..last (inclusive), all recorded. */
export interface SecondRun {
  first: number;
  last: number;
}

/** Everything about a recording except its counts. */
export interface RecordingInfo {
  /** File name or URL it was opened from. */
  name: string;
  formatVersion: number;
  meta: Record<string, string>;
  unit: Unit;
  /** Wall-clock Unix ms of second 0. */
  startMs: number;
  series: SeriesInfo[];
  buckets: AxisBucket[];
  /** The seconds recorded, as runs of consecutive seconds in time order (missed ones fall between runs). */
  secondRuns: SecondRun[];
  health: HealthRow[];
  /** rollup_state: level -> `through` (exclusive second). */
  rollupThrough: Map<number, number>;
  /** Rollup levels that hold per-series rows (not only the all-series sum), as found in the file. */
  perSeriesLevels: number[];
  /** The marks in time order (schemas/marks.ts); [] for a file made before the mark table. */
  marks: Mark[];
}

/** One stored counts object ({"<bucket id>": n}) of second (or window start) t. */
export interface CountsRow {
  t: number;
  seriesId: number;
  counts: Record<string, number>;
}

/** One stack_hist row: the latency buckets of one stack's events in second t of one series. */
export interface StackHistRow extends CountsRow {
  stackId: number;
}

/** A new second for a growing recording (a live tail). */
export interface AppendedSecond {
  t: number;
  wallMs: number;
  partial: boolean;
  /** Counts per series id ({"<bucket id>": n}). */
  series: { seriesId: number; counts: Record<string, number> }[];
  /** Keys and buckets first seen in this second (ids chosen by the recorder). */
  newSeries?: SeriesInfo[];
  newBuckets?: AxisBucket[];
  /** Its stack rows (heat-record --stacks): the stacks named, and per series and stack the bucket counts. */
  stacks?: {
    defs: { id: number; frames: string[] }[];
    rows: { seriesId: number; stackId: number; counts: Record<string, number> }[];
  };
  /** Health events of this second (drops, errors), shown like those read from the file. */
  health?: HealthRow[];
}

/** Where a clip came from, stored in its meta.derived_from. */
export interface ClipNote {
  command: string;
  source: string;
  /** Marks added in the viewer, written into the clip beside those of the source. */
  marks?: NewMark[];
}

/**
 * A read needs parts of the file not fetched yet: nothing was returned; `ready` settles once they
 * are in hand (or rejects when they could not be read), and the same read then succeeds.
 */
export class DetailPending extends Error {
  constructor(readonly ready: Promise<void>) {
    super('reading more of the recording');
  }
}

/** What `read` returns, or `otherwise` while the parts it needs are being fetched. */
export function unlessPending<T>(read: () => T, otherwise: T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof DetailPending) return otherwise;
    throw err;
  }
}

/** What `read` returns once the parts of the file it needs are in hand (a file read in parts). */
export async function settled<T>(read: () => T): Promise<T> {
  for (;;) {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof DetailPending)) throw err;
      await err.ready;
    }
  }
}

export interface RecordingSource {
  /** Parts of the file fetched in the background arrived (reads that were pending may now succeed). */
  readonly detailArrived: Emitter;
  /** Parts of the file could not be read (changed or moved since it was opened), or are damaged. */
  readonly readFailed: Emitter<unknown>;
  /** Once, for the first negative count read: the source reads it as zero. */
  readonly negativeFound: Emitter<{ t: number; seriesId: number; bucketId: number; count: number }>;
  /** Bytes of the file held in memory, when it is read in parts (undefined otherwise). */
  readonly heldBytes?: number | undefined;
  /** All keys summed, second by second: rollup level 1 before `through`, hist rows after. */
  allSeriesRows(through: number): Iterable<CountsRow>;
  /** The hist rows of these series. */
  seriesRows(ids: readonly number[]): Iterable<CountsRow>;
  /**
   * Per-series rows of seconds [from, to) at one level: level 1 reads hist, others read whole
   * rollup windows starting in [from, to). ids null: every series.
   */
  levelRows(
    level: number,
    from: number,
    to: number,
    ids: readonly number[] | null,
  ): Iterable<CountsRow>;
  /**
   * Rows of whole windows at one level starting in [from, to), in time order. ids null: the sum
   * of all series (rollup series 0; level 1 too). Else those series: hist at level 1, rollup above.
   */
  windowRows(
    level: number,
    from: number,
    to: number,
    ids: readonly number[] | null,
  ): Iterable<CountsRow>;
  /**
   * stack_hist rows of seconds [from, to) (schemas/recording.sql), ids null: every series.
   * Absent: the source cannot hold stacks (a live tail).
   */
  stackRows?(from: number, to: number, ids: readonly number[] | null): StackHistRow[];
  /** The frames (root first) of these stack ids; ids not in the file are left out. */
  stackFrames?(ids: readonly number[]): Map<number, string[]>;
  /** Seconds [from, to) as a new recording's bytes (renumbered from 0, rollups rebuilt); null when none was recorded. */
  clip(from: number, to: number, note: ClipNote): Promise<Uint8Array | null>;
  /** Stores a new second (and its rollups) so later reads include it. */
  append(second: AppendedSecond): void;
}
