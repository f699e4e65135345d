// The counts of one key selection at every stored resolution, for drawing: each frame reads the
// rollup level that matches its pixel columns (see level-choice.ts), so a day-long recording
// paints from a few thousand rows whatever the zoom. Detail that is not read yet is read at
// once when it is small; otherwise the frame is drawn from a coarser level already in hand and
// the detail is read in the background, a chunk per task, then `detailRead` asks for a redraw.
// A recording read in parts may not have a chunk's rows at hand (DetailPending): the frame is
// then drawn from what is, marked incomplete, and the chunk is read once its parts arrive.

import type { ColumnGrid, FrameSource } from './column-frame.js';
import { Emitter } from './emitter.js';
import { chooseLevel, groupSeconds, windowsOf } from './level-choice.js';
import { CHUNK_WINDOWS, LevelStore, type LevelReader } from './level-store.js';
import { DetailPending, type CountsRow } from './recording-source.js';

/** Most rows one view may read (coarser levels beyond). */
export const VIEW_ROWS = 20_000;
/** Missing detail up to this many rows is read inside the frame; more is read in the background. */
const SYNC_ROWS = 2_500;

export interface LeveledSource {
  rows: number;
  t0: number;
  end: number;
  /** Levels this selection can read, finest first (1 = per second). */
  levels: readonly number[];
  rowOf(bucketId: number): number;
  read(level: number, from: number, to: number): Iterable<CountsRow>;
  anyRecorded(from: number, to: number): boolean;
}

export class LeveledCounts implements FrameSource {
  private readonly stores = new Map<number, LevelStore>();
  private queue: { level: number; chunk: number }[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped whenever counts already drawn may have changed (detail read, seconds appended). */
  version = 0;
  /** After each background read, to redraw. */
  readonly detailRead = new Emitter();

  /** @param rowsPerWindow stored rows per window: 1 for all keys, else the number of keys */
  constructor(
    private readonly source: LeveledSource,
    private readonly rowsPerWindow: number,
  ) {}

  get t0(): number {
    return this.source.t0;
  }

  get end(): number {
    return this.source.end;
  }

  /** The counts a frame of `columns` pixel columns over seconds [start, end) draws from. */
  gridFor(start: number, end: number, columns: number): ColumnGrid {
    const span = Math.max(1, end - start);
    const { level: want, group } = chooseLevel({
      span,
      columns,
      levels: this.source.levels,
      rowsPerWindow: this.rowsPerWindow,
      budget: VIEW_ROWS,
    });
    const store = this.store(want);
    const [from, to] = [Math.max(start, this.t0), Math.min(end, this.end)];
    const [i0, i1] = windowsOf(from, to, want);
    const missing = store.missing(i0, i1);
    if (missing.length > 0 && this.missingRows(want, missing) > SYNC_ROWS) {
      const stand = this.source.levels.find(
        (l) => l > want && this.store(l).missing(...windowsOf(from, to, l)).length === 0,
      );
      if (stand !== undefined) {
        this.request(want, missing);
        return new LevelGrid(this.store(stand), this.source, groupSeconds(span / columns, stand));
      }
    }
    // Nothing coarser in hand (a first frame), or little to read: read it now if its parts are here.
    const pending = missing.filter((c) => !this.loadNow(store, c));
    if (pending.length) this.request(want, pending);
    else this.prefetch(want, i0, i1);
    return new LevelGrid(store, this.source, group, pending.length === 0);
  }

  /** Reads a chunk; false when its rows are still being fetched (it is then read in the background). */
  private loadNow(store: LevelStore, c: number): boolean {
    try {
      store.load(c);
      return true;
    } catch (err) {
      if (err instanceof DetailPending) return false;
      throw err;
    }
  }

  /** A second was added at the right edge: windows holding it are read again when next drawn. */
  secondAdded(t: number): void {
    for (const store of this.stores.values())
      store.drop(LevelStore.chunkOf(Math.floor(t / store.level)));
    this.version++;
  }

  /** Stops reading in the background (the recording was closed or replaced). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.queue = [];
  }

  private store(level: number): LevelStore {
    let store = this.stores.get(level);
    if (!store) {
      const reader: LevelReader = {
        rows: this.source.rows,
        rowOf: (id) => this.source.rowOf(id),
        read: (from, to) => this.source.read(level, from, to),
        anyRecorded: (from, to) => this.source.anyRecorded(from, to),
      };
      this.stores.set(level, (store = new LevelStore(level, reader)));
    }
    return store;
  }

  /** Rows chunks would read: their windows inside the recording, times rows per window. */
  private missingRows(level: number, chunks: number[]): number {
    let windows = 0;
    for (const c of chunks) {
      const a = Math.max(c * CHUNK_WINDOWS, Math.floor(this.t0 / level));
      const b = Math.min((c + 1) * CHUNK_WINDOWS, Math.ceil(this.end / level));
      windows += Math.max(0, b - a);
    }
    return windows * this.rowsPerWindow;
  }

  /** Reads the chunks beside the view in the background, so a pan finds them ready. */
  private prefetch(level: number, i0: number, i1: number): void {
    const store = this.store(level);
    const near = [LevelStore.chunkOf(i0) - 1, LevelStore.chunkOf(Math.max(i0, i1 - 1)) + 1].filter(
      (c) => c >= 0 && c * CHUNK_WINDOWS * level < this.end && !store.has(c),
    );
    if (near.length) this.request(level, near, false);
  }

  /** Queues background reads; a new view's needs replace what an older view still waited for. */
  private request(level: number, chunks: number[], replace = true): void {
    const wanted = chunks.map((chunk) => ({ level, chunk }));
    this.queue = replace
      ? wanted
      : [
          ...this.queue,
          ...wanted.filter(
            (w) => !this.queue.some((q) => q.level === w.level && q.chunk === w.chunk),
          ),
        ];
    this.timer ??= setTimeout(() => this.readNext(), 0);
  }

  private readNext(): void {
    this.timer = null;
    const next = this.queue[0];
    if (!next) return;
    const store = this.store(next.level);
    if (!store.has(next.chunk)) {
      try {
        store.load(next.chunk);
      } catch (err) {
        if (!(err instanceof DetailPending)) throw err;
        // The same chunk (or whatever a newer view asked for meanwhile) once its parts are here.
        // A failed read is reported by the recording (readFailed); nothing more to read then.
        err.ready.then(
          () => (this.timer ??= setTimeout(() => this.readNext(), 0)),
          () => undefined,
        );
        return;
      }
      this.version++;
      this.detailRead.emit();
    }
    this.queue.shift();
    if (this.queue.length) this.timer = setTimeout(() => this.readNext(), 0);
  }
}

/** One level's windows as the seconds a frame's columns show, in groups of `group` seconds. */
class LevelGrid implements ColumnGrid {
  constructor(
    private readonly store: LevelStore,
    private readonly source: LeveledSource,
    private readonly group: number,
    readonly complete = true,
  ) {}

  get rows(): number {
    return this.source.rows;
  }

  get t0(): number {
    return this.source.t0;
  }

  get end(): number {
    return this.source.end;
  }

  get level(): number {
    return this.store.level;
  }

  /**
   * The group of whole windows holding the column's middle (a group is a column wide or a little
   * wider). The column reaching the recording's end also takes the seconds after its group, so
   * a short last group no column's middle falls in is not lost.
   */
  cover(from: number, to: number): [number, number] {
    const a = Math.floor((from + to) / 2 / this.group) * this.group;
    const b = to >= this.end ? Math.max(a + this.group, this.end) : a + this.group;
    // A group reaching past either end of the recording shows only the seconds inside it.
    return [a < this.t0 && b > this.t0 ? this.t0 : a, b > this.end && a < this.end ? this.end : b];
  }

  sumInto(from: number, to: number, out: Float64Array): Float64Array {
    out.fill(0);
    this.store.addInto(...windowsOf(from, to, this.store.level), out);
    return out;
  }

  total(from: number, to: number): number {
    return this.store.total(...windowsOf(from, to, this.store.level));
  }

  anyPresent(from: number, to: number): boolean {
    return this.store.anyPresent(...windowsOf(from, to, this.store.level));
  }
}
