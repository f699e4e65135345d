// Follows a recording as seconds are committed to it, by this process's recorder (--serve) or by
// another heat-record (heat-view on a live file; SQLite's WAL lets readers run beside the writer).
// Each check opens a short-lived read-only connection, so the writer can always checkpoint and
// leave one self-contained file when it finishes.

import type { LiveEnd, LiveMark, LiveSecond } from '../../schemas/format.js';
import { LIVE_MESSAGE_VERSION } from '../../schemas/format.js';
import { LiveReads, type LiveHealthRow, type LiveSecondRow } from '../store/live-reads.js';
import { fileStamp } from './file-stamp.js';
import { jsonInt } from '../model/json-int.js';

type SeriesDef = LiveSecond['series'][number];
type BucketDef = LiveSecond['buckets'][number];
type Stacks = NonNullable<LiveSecond['stacks']>;

export interface TailListener {
  second(message: LiveSecond): void;
  end(message: LiveEnd): void;
  /** A mark added to the recording (e.g. by `heat-record mark` while it records). */
  mark?(message: LiveMark): void;
}

export class RecordingTail {
  private lastT = -1;
  private ended: LiveEnd | null = null;
  private readonly series = new Map<number, SeriesDef>();
  private readonly buckets = new Map<number, BucketDef>();
  /** Stack definitions (heat-record --stacks) by id, read as they appear. */
  private readonly stackDefs = new Map<number, Stacks['defs'][number]>();
  private readonly listeners = new Set<TailListener>();
  private timer: NodeJS.Timeout | null = null;
  private fileStamp = '';
  /** Every mark read so far, in id order (a handful: each new client gets them all). */
  private readonly markList: LiveMark[] = [];

  constructor(readonly path: string) {}

  /** Reads what is there now (no messages), then checks every pollMs for more. */
  start(pollMs = 200): void {
    this.check(true);
    this.timer = setInterval(() => this.check(false), pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Checks now: call after a commit to skip the polling delay. */
  poke(): void {
    this.check(false);
  }

  subscribe(listener: TailListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get newestSecond(): number {
    return this.lastT;
  }

  get endMessage(): LiveEnd | null {
    return this.ended;
  }

  /** The recording's marks as live messages, in id order. */
  get marks(): readonly LiveMark[] {
    return this.markList;
  }

  /**
   * The committed seconds after `afterT` up to the newest announced, at most `limit` of them (-1:
   * all), read from the file: backfill for a client that asks for seconds it missed.
   */
  secondsAfter(afterT: number, limit = -1): LiveSecond[] {
    return LiveReads.run(this.path, (reads) => this.readSeconds(reads, afterT, this.lastT, limit));
  }

  private check(initial: boolean): void {
    if (this.ended || !this.changed()) return;
    let read;
    try {
      read = LiveReads.run(this.path, (reads) => {
        const newest = reads.newestSecond();
        const marks = reads
          .marksAfter(this.markList.at(-1)?.id ?? 0)
          .map((m): LiveMark => ({ v: LIVE_MESSAGE_VERSION, type: 'mark', ...m }));
        return {
          seconds: initial ? [] : this.readSeconds(reads, this.lastT, newest),
          newest,
          end: endMessage(reads, newest),
          marks,
        };
      });
    } catch (err) {
      if (initial) throw err; // not a recording at all: the caller says so
      this.fileStamp = ''; // moved away or unreadable for now: look again next time, never crash the server
      return;
    }
    const { seconds, newest, end, marks } = read;
    if (initial) this.lastT = newest;
    for (const m of marks) {
      this.markList.push(m);
      if (!initial) for (const l of this.listeners) l.mark?.(m);
    }
    for (const s of seconds) {
      this.lastT = s.t;
      for (const l of this.listeners) l.second(s);
    }
    if (end) {
      this.ended = end;
      for (const l of this.listeners) l.end(end);
      this.stop();
    }
  }

  /** True when the file or its WAL changed since the last look. */
  private changed(): boolean {
    const stamp = fileStamp(this.path);
    if (stamp === this.fileStamp) return false;
    this.fileStamp = stamp;
    return true;
  }

  /**
   * The committed seconds after `afterT` through `throughT`, at most `limit` of them (-1: all), each
   * read with three range scans in key order rather than a query per second.
   */
  private readSeconds(
    reads: LiveReads,
    afterT: number,
    throughT: number,
    limit = -1,
  ): LiveSecond[] {
    if (throughT <= afterT) return [];
    this.refreshDefinitions(reads);
    const rows = reads.seconds(afterT, throughT, limit);
    if (rows.length === 0) return [];
    const lastT = rows[rows.length - 1]!.t;
    const health = groupByT(reads.health(afterT, lastT));
    const hist = reads.hist(afterT, lastT); // in t order, as the seconds: taken second by second
    const stackHist = reads.stackHist(afterT, lastT);
    let next = hist.next();
    let nextStack = stackHist.next();
    try {
      return rows.map((row) => {
        const counts: LiveSecond['counts'] = [];
        for (; !next.done && next.value.t <= row.t; next = hist.next()) {
          if (next.value.t === row.t)
            for (const [bucketId, n] of next.value.counts)
              counts.push([next.value.seriesId, bucketId, jsonInt(n)!]);
        }
        const stackCounts: Stacks['counts'] = [];
        for (; !nextStack.done && nextStack.value.t <= row.t; nextStack = stackHist.next()) {
          const r = nextStack.value;
          if (r.t === row.t)
            for (const [bucketId, n] of r.counts)
              stackCounts.push([r.seriesId, r.stackId, bucketId, jsonInt(n)!]);
        }
        return this.secondMessage(row, counts, health.get(row.t) ?? [], stackCounts);
      });
    } finally {
      hist.return(undefined);
      stackHist.return(undefined);
    }
  }

  private secondMessage(
    row: LiveSecondRow,
    counts: LiveSecond['counts'],
    health: LiveHealthRow[],
    stackCounts: Stacks['counts'],
  ): LiveSecond {
    // A stack's series and buckets are its histogram's; named again so a message stands alone
    // even when a hand-edited file says otherwise.
    const seriesIds = new Set([...counts.map((c) => c[0]), ...stackCounts.map((c) => c[0])]);
    const bucketIds = new Set([...counts.map((c) => c[1]), ...stackCounts.map((c) => c[2])]);
    const message: LiveSecond = {
      v: LIVE_MESSAGE_VERSION,
      type: 'second',
      t: row.t,
      wallMs: row.wallMs,
      events: jsonInt(row.events)!,
      partial: row.partial,
      series: [...seriesIds].map((id) => this.series.get(id)!),
      buckets: [...bucketIds].map((id) => this.buckets.get(id)!),
      counts,
      health: health.map(({ kind, count, message }) => ({ kind, count, message })),
    };
    if (stackCounts.length > 0)
      message.stacks = {
        defs: [...new Set(stackCounts.map((c) => c[1]))].map((id) => this.stackDefs.get(id)!),
        counts: stackCounts,
      };
    return message;
  }

  private refreshDefinitions(reads: LiveReads): void {
    for (const s of reads.seriesAfter(maxKey(this.series))) this.series.set(s.id, s);
    for (const b of reads.bucketsAfter(maxKey(this.buckets)))
      this.buckets.set(b.id, { id: b.id, lo: jsonInt(b.lo), hi: jsonInt(b.hi) });
    for (const d of reads.stacksAfter(maxKey(this.stackDefs))) this.stackDefs.set(d.id, d);
  }
}

function endMessage(reads: LiveReads, lastT: number): LiveEnd | null {
  const ending = reads.ending();
  return ending
    ? {
        v: LIVE_MESSAGE_VERSION,
        type: 'end',
        lastT,
        reason: ending.reason,
        status: ending.status,
        endMs: ending.endMs,
      }
    : null;
}

function groupByT<R extends { t: number }>(rows: R[]): Map<number, R[]> {
  const byT = new Map<number, R[]>();
  for (const r of rows) {
    const group = byT.get(r.t);
    if (group) group.push(r);
    else byT.set(r.t, [r]);
  }
  return byT;
}

function maxKey(map: Map<number, unknown>): number {
  let max = 0;
  for (const k of map.keys()) if (k > max) max = k;
  return max;
}
