// A box on the heat map (seconds x latency band x keys) answered from the recording's stacks:
// the stack rows of its seconds, read a chunk of seconds at a time (a file read in parts fetches
// only those pages, and a chunk already read is not read again when a later one waits), kept to
// the band's bucket ids, merged per stack, then named by their frames.

import type { BucketAxis } from './bucket-axis.js';
import type { StackCount } from './flame-tree.js';
import { settled, type StackHistRow } from './recording-source.js';
import type { Recording } from './recording.js';

/** Seconds read per query: a chunk of an hour's outliers is a few hundred KB at most. */
export const STACK_CHUNK_SECONDS = 900;

export interface StackBox {
  /** Seconds [from, to). */
  from: number;
  to: number;
  /** Bucket ids inside the latency band; null: every bucket (a time selection). */
  buckets: ReadonlySet<number> | null;
  /** Series ids (the keys shown). */
  ids: readonly number[];
}

export interface BoxStacks {
  stacks: StackCount[];
  /** Events in the box that carry a stack. */
  total: number;
}

/** Adds each row's counts inside the band to its stack's total. */
export function mergeStackRows(
  rows: Iterable<StackHistRow>,
  buckets: ReadonlySet<number> | null,
  into: Map<number, number> = new Map(),
): Map<number, number> {
  for (const row of rows) {
    let n = 0;
    for (const id in row.counts) if (!buckets || buckets.has(Number(id))) n += row.counts[id]!;
    if (n > 0) into.set(row.stackId, (into.get(row.stackId) ?? 0) + n);
  }
  return into;
}

/** The bucket ids of these axis rows (a band dragged on the map). */
export function bucketIdsOfRows(axis: BucketAxis, rows: readonly number[]): Set<number> {
  return new Set(rows.map((r) => axis.rows[r]?.id).filter((id): id is number => id !== undefined));
}

/**
 * The bucket ids of an axis lying within [lo, hi] (null: open), for the same band on another
 * recording's axis (Compare against another file).
 */
export function bucketIdsWithin(
  axis: BucketAxis,
  lo: number | null,
  hi: number | null,
): Set<number> {
  const above = (v: number | null) => lo === null || (v !== null && v >= lo);
  const below = (v: number | null) => hi === null || (v !== null && v <= hi);
  return new Set(axis.rows.filter((b) => above(b.lo) && below(b.hi)).map((b) => b.id));
}

/** Stack counts named by their frames; a stack id the file lacks keeps an empty stack. */
export function namedStacks(
  counts: Map<number, number>,
  frames: Map<number, string[]>,
): StackCount[] {
  return [...counts].map(([id, count]) => ({ frames: frames.get(id) ?? [], count }));
}

/**
 * Reads the box's stacks, waiting for the parts of a file read in parts. `isCurrent` is asked
 * between chunks: when it says no (a new box was drawn), reading stops and null is returned.
 */
export async function readBoxStacks(
  recording: Recording,
  box: StackBox,
  isCurrent: () => boolean = () => true,
): Promise<BoxStacks | null> {
  const counts = new Map<number, number>();
  if (box.ids.length === 0) return { stacks: [], total: 0 };
  for (let from = box.from; from < box.to; from += STACK_CHUNK_SECONDS) {
    const to = Math.min(box.to, from + STACK_CHUNK_SECONDS);
    const rows = await settled(() => recording.stackRows(from, to, box.ids));
    if (!isCurrent()) return null;
    mergeStackRows(rows, box.buckets, counts);
  }
  const frames = await settled(() => recording.stackFrames([...counts.keys()]));
  if (!isCurrent()) return null;
  let total = 0;
  for (const n of counts.values()) total += n;
  return { stacks: namedStacks(counts, frames), total };
}
