// A recording SQLite reads from a file it never holds whole: the bytes are fetched in blocks the
// first time SQLite asks for them and kept (least recently used dropped beyond a budget), so a
// day-long recording costs the memory of the parts a view shows, not of the file.
//
// How it plugs into sql.js: sql.js keeps a database as a file of emscripten's in-memory file
// system (MEMFS), whose file contents may be any object with subarray(); MEMFS answers each
// read() of SQLite with contents.subarray(position, end). A PagedFile is that object. SQLite's
// reads are synchronous and the browser's are not, so a read of a block not fetched yet is
// answered with zeros and noted as a miss; `attempt` then discards whatever the query returned,
// fetches the missed blocks, and says when to try again (DetailPending). After each miss and
// each fetch the file change counter in the header is bumped, so SQLite drops any page it
// cached from zeros.
// The file is read-only: the viewer never writes into a recording opened this way.
// Layout reference: https://www.sqlite.org/fileformat.html#the_database_header

import { Emitter } from '../model/emitter.js';
import { DetailPending } from '../model/recording-source.js';

/** Where the bytes come from: a File picked or dropped, or a URL answering range requests. */
export interface ByteSource {
  size: number;
  /** What a person should know about how the bytes are read (e.g. no version check), if anything. */
  note?: string;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Opening needed more scattered reads than reading the whole file would cost. */
export class TooScattered extends Error {}

/**
 * The unit of reading. A browser read costs ~4 ms plus ~8 ms per MB (Chromium, a File on local
 * disk): small blocks keep index seeks cheap, and scans read ahead, SCAN_GROWTH times further
 * each round, up to MAX_RUN.
 */
export const BLOCK = 64 * 1024;
/** Most bytes of blocks kept between queries. */
const BUDGET = 48 << 20;
/** Largest read ahead of a run of consecutive misses (a scan through the file), in blocks. */
const MAX_RUN = 256;
/**
 * How much further each read of a scan reaches than the one before. A round trip costs more
 * than the bytes (a fetch ~4 ms, a MB ~8 ms; many times that on a busy machine), so a scan of
 * the 2 MB of a week's minute windows takes 3 rounds instead of 5 doubling, for at most 3x the
 * scan's last read too many (bounded by MAX_RUN).
 */
const SCAN_GROWTH = 4;
/** Recent fetches remembered to tell a scan going on: opening walks some 15 tables and levels side by side. */
const RUNS_KEPT = 32;
/** Blocks already held that a scan may step over and still count as going on (see runBefore). */
const GAP_HELD = 4;

export class PagedFile {
  private readonly blocks = new Map<number, Uint8Array>();
  private readonly misses = new Set<number>();
  /** Blocks being fetched, so a read retried before they arrive does not fetch them twice. */
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Where recent fetches ended and how long they were, to tell scans (read ahead further each time) from jumps. */
  private readonly runEnds = new Map<number, number>();
  /** Bytes of the blocks held (kept as blocks come and go: trimming checks it after every read). */
  private held = 0;
  /** Fetches started and bytes read (opening's budget counts fetches; the open mark reports both). */
  readonly stats = { fetches: 0, bytes: 0 };
  /** After each fetch, so views drawn without the detail can be drawn again. */
  readonly fetched = new Emitter();
  /**
   * Once, when a fetch fails (the file was changed, moved or the server went away). Reads that
   * miss from then on stay pending: views keep what they have rather than fail mid-draw.
   */
  readonly fetchFailed = new Emitter<unknown>();
  private failure: unknown = null;

  constructor(private readonly source: ByteSource) {}

  get length(): number {
    return this.source.size;
  }

  get byteLength(): number {
    return this.source.size;
  }

  /** Bytes held now. */
  get heldBytes(): number {
    return this.held;
  }

  /** Bytes already in hand from `offset` (a multiple of BLOCK): whole blocks are kept. */
  seed(offset: number, bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length; at += BLOCK) {
      const i = (offset + at) / BLOCK;
      const end = Math.min(at + BLOCK, bytes.length);
      if (end - at === BLOCK || offset + end === this.length) this.keep(i, bytes.slice(at, end));
    }
  }

  /** The object to hand sql.js as the database's bytes (see the file comment). */
  contents(): Uint8Array {
    // MEMFS copies tiny reads (<= 8 bytes) byte by byte with contents[i]; a proxy answers those.
    const isIndex = (key: string | symbol): key is string =>
      typeof key === 'string' && key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57;
    const proxy = new Proxy(this, {
      get: (target, key, receiver) =>
        isIndex(key) ? target.byteAt(Number(key)) : Reflect.get(target, key, receiver),
    });
    return proxy as unknown as Uint8Array;
  }

  /** MEMFS takes its own copy of the bytes it is given with slice(): this file is that copy. */
  slice(): this {
    return this;
  }

  subarray(start: number, end: number): Uint8Array {
    const first = Math.floor(start / BLOCK);
    const block = this.block(first);
    if (block && end <= (first + 1) * BLOCK)
      return block.subarray(start - first * BLOCK, end - first * BLOCK);
    const out = new Uint8Array(end - start);
    for (let pos = start; pos < end;) {
      const i = Math.floor(pos / BLOCK);
      const n = Math.min((i + 1) * BLOCK, end) - pos;
      const b = this.block(i);
      if (b) out.set(b.subarray(pos - i * BLOCK, pos - i * BLOCK + n), pos - start);
      pos += n;
    }
    return out;
  }

  set(): void {
    throw new Error('a recording read from a file in parts is read-only');
  }

  byteAt(pos: number): number {
    return this.block(Math.floor(pos / BLOCK))?.[pos % BLOCK] ?? 0;
  }

  /**
   * Runs a synchronous read. When it needed bytes not fetched yet, its result is discarded and
   * DetailPending is thrown; run it again once `ready` settles.
   */
  attempt<T>(read: () => T): T {
    this.misses.clear();
    let result: T | undefined;
    let failure: unknown = null;
    try {
      result = read();
    } catch (err) {
      failure = err;
    }
    if (this.misses.size > 0) {
      // SQLite may have cached pages read as zeros: a read before the fetch lands must not use them.
      this.bumpChangeCounter();
      if (this.failure !== null) throw new DetailPending(new Promise<void>(() => undefined));
      const ready = this.fetchMissed();
      ready.catch(() => undefined); // reported through fetchFailed; only callers that wait see it rejected
      throw new DetailPending(ready);
    }
    if (failure !== null) throw failure;
    this.trim();
    return result as T;
  }

  /** Runs a read until it no longer misses. */
  async settle<T>(read: () => T): Promise<T> {
    for (;;) {
      try {
        return this.attempt(read);
      } catch (err) {
        if (!(err instanceof DetailPending)) throw err;
        await err.ready;
      }
    }
  }

  /**
   * Runs reads side by side until none misses: each read runs again as soon as its own parts
   * are in hand, not when the slowest fetch of all has landed, so a deep walk (a seek, then a
   * scan) is not held up by the others' round trips; blocks fetched for one serve all. More than
   * `maxFetches` fetches: TooScattered. Reads start in the order given: put the deepest first.
   */
  async settleAll(reads: (() => unknown)[], maxFetches = Infinity): Promise<unknown[]> {
    const before = this.stats.fetches;
    const settleOne = async (read: () => unknown): Promise<unknown> => {
      for (;;) {
        if (this.stats.fetches - before >= maxFetches)
          throw new TooScattered(`more than ${maxFetches} scattered reads`);
        try {
          return this.attempt(read);
        } catch (err) {
          if (!(err instanceof DetailPending)) throw err;
          await err.ready;
        }
      }
    };
    return Promise.all(reads.map(settleOne));
  }

  private block(i: number): Uint8Array | null {
    const b = this.blocks.get(i);
    if (!b) {
      this.misses.add(i);
      return null;
    }
    this.blocks.delete(i); // most recently used last
    this.blocks.set(i, b);
    return b;
  }

  /** Reads the missed blocks, a run at a time; a miss right after the last fetch reads further ahead. */
  private async fetchMissed(): Promise<void> {
    const wanted = [...this.misses].sort((a, b) => a - b);
    this.misses.clear();
    const last = Math.ceil(this.length / BLOCK) - 1;
    const waits = new Set<Promise<void>>();
    for (const i of wanted) {
      const pending = this.inFlight.get(i);
      if (pending) waits.add(pending);
      if (pending || this.blocks.has(i)) continue;
      const ahead = Math.min(Math.max(1, this.runBefore(i) * SCAN_GROWTH), MAX_RUN);
      let end = i + 1;
      while (
        end < Math.min(i + ahead, last + 1) &&
        !this.blocks.has(end) &&
        !this.inFlight.has(end)
      )
        end++;
      this.runEnds.set(end, end - i);
      if (this.runEnds.size > RUNS_KEPT) this.runEnds.delete(this.runEnds.keys().next().value!);
      const run = this.fetchRun(i, end).finally(() => {
        for (let b = i; b < end; b++) this.inFlight.delete(b);
      });
      for (let b = i; b < end; b++) this.inFlight.set(b, run);
      waits.add(run);
    }
    try {
      await Promise.all(waits);
    } catch (err) {
      if (this.failure === null) {
        this.failure = err;
        this.fetchFailed.emit(err);
      }
      throw err;
    }
    this.bumpChangeCounter();
    this.fetched.emit();
  }

  /**
   * The length of the fetch a miss at block i goes on from (0: none, a jump: one block is read). A scan goes on
   * past blocks already held in between: the interior pages of a B-tree lie among its leaves,
   * read by the seek that started the scan, and restarting at one block there would cost a
   * scan of a few MB a round trip per block grown again from one.
   */
  private runBefore(i: number): number {
    for (let end = i; end > i - GAP_HELD && end > 0; end--) {
      const run = this.runEnds.get(end);
      if (run !== undefined) {
        this.runEnds.delete(end);
        return run;
      }
      if (!this.blocks.has(end - 1)) break;
    }
    return 0;
  }

  private async fetchRun(first: number, end: number): Promise<void> {
    const offset = first * BLOCK;
    this.stats.fetches++; // counted when started: a budget of fetches must see those under way
    const bytes = await this.source.read(offset, Math.min(end * BLOCK, this.length) - offset);
    this.stats.bytes += bytes.length;
    // One block alone keeps the read's buffer; a run is copied apart so each block frees on its own.
    if (end - first === 1) this.keep(first, bytes);
    else
      for (let i = first; i < end; i++)
        this.keep(i, bytes.slice((i - first) * BLOCK, (i - first + 1) * BLOCK));
  }

  private keep(i: number, bytes: Uint8Array): void {
    this.held += bytes.length - (this.blocks.get(i)?.length ?? 0);
    this.blocks.set(i, bytes);
  }

  /**
   * SQLite keeps pages cached between queries while the header's change counter stays the same;
   * pages read as zeros before a fetch must not survive it. The counter and its "version valid
   * for" copy move together, so the header's page count stays trusted. The header's block is
   * seeded at open and never dropped, so the count goes on from there.
   */
  private bumpChangeCounter(): void {
    const header = this.blocks.get(0);
    if (!header) return;
    const view = new DataView(header.buffer, header.byteOffset, 100);
    const next = (view.getUint32(24) + 1) >>> 0;
    view.setUint32(24, next);
    view.setUint32(92, next);
  }

  /** Drops least recently used blocks beyond the budget (the header's block is kept). */
  private trim(): void {
    for (const [i, b] of this.blocks) {
      if (this.held <= BUDGET) break;
      if (i === 0) continue;
      this.blocks.delete(i);
      this.held -= b.length;
    }
  }
}
