// One rollup level of one key selection, held in chunks of CHUNK_WINDOWS windows that are read
// from the file when first needed and kept (least recently used dropped beyond MAX_CHUNKS).
// Each chunk stores running sums like TimeGrid, so any run of windows sums in one subtraction
// per bucket row.

import type { CountsRow } from './recording-source.js';

export const CHUNK_WINDOWS = 1024;
const MAX_CHUNKS = 48;

export interface LevelReader {
  rows: number;
  /** Axis row of a bucket id (-1: not on the axis). */
  rowOf(bucketId: number): number;
  /** Rows of the windows starting in seconds [from, to). */
  read(from: number, to: number): Iterable<CountsRow>;
  /** Whether any second in [from, to) was recorded. */
  anyRecorded(from: number, to: number): boolean;
}

class Chunk {
  readonly cum: Float64Array;
  readonly cumTotal = new Float64Array(CHUNK_WINDOWS + 1);
  readonly present = new Uint8Array(CHUNK_WINDOWS);

  constructor(readonly rows: number) {
    this.cum = new Float64Array((CHUNK_WINDOWS + 1) * rows);
  }
}

export class LevelStore {
  private readonly chunks = new Map<number, Chunk>();

  constructor(
    readonly level: number,
    private readonly reader: LevelReader,
  ) {}

  /** Chunk index of window i. */
  static chunkOf(i: number): number {
    return Math.floor(i / CHUNK_WINDOWS);
  }

  /** Chunks of windows [i0, i1) not read yet; the others count as just used. */
  missing(i0: number, i1: number): number[] {
    const out: number[] = [];
    for (let c = LevelStore.chunkOf(i0); c <= LevelStore.chunkOf(Math.max(i0, i1 - 1)); c++) {
      const chunk = this.chunks.get(c);
      if (!chunk) {
        out.push(c);
        continue;
      }
      this.chunks.delete(c);
      this.chunks.set(c, chunk);
    }
    return out;
  }

  has(c: number): boolean {
    return this.chunks.has(c);
  }

  /** Reads chunk c from the file (again, if it was dropped). */
  load(c: number): void {
    const L = this.level;
    const R = this.reader.rows;
    const chunk = new Chunk(R);
    const first = c * CHUNK_WINDOWS;
    const counts = new Float64Array(CHUNK_WINDOWS * R);
    for (const row of this.reader.read(first * L, (first + CHUNK_WINDOWS) * L)) {
      const base = (Math.floor(row.t / L) - first) * R;
      for (const id in row.counts) {
        const r = this.reader.rowOf(Number(id));
        if (r >= 0) counts[base + r] = counts[base + r]! + row.counts[id]!;
      }
    }
    for (let w = 0; w < CHUNK_WINDOWS; w++) {
      let total = 0;
      for (let r = 0; r < R; r++) {
        const n = counts[w * R + r]!;
        chunk.cum[(w + 1) * R + r] = chunk.cum[w * R + r]! + n;
        total += n;
      }
      chunk.cumTotal[w + 1] = chunk.cumTotal[w]! + total;
      chunk.present[w] = this.reader.anyRecorded((first + w) * L, (first + w + 1) * L) ? 1 : 0;
    }
    this.chunks.set(c, chunk);
    if (this.chunks.size > MAX_CHUNKS) this.chunks.delete(this.chunks.keys().next().value!);
  }

  /** Forgets chunk c (its seconds changed), so the next use reads it again. */
  drop(c: number): void {
    this.chunks.delete(c);
  }

  /** Adds the counts of windows [i0, i1) into out (missing chunks count as empty). */
  addInto(i0: number, i1: number, out: Float64Array): void {
    const R = this.reader.rows;
    this.each(i0, i1, (chunk, a, b) => {
      for (let r = 0; r < R; r++) out[r] = out[r]! + chunk.cum[b * R + r]! - chunk.cum[a * R + r]!;
    });
  }

  total(i0: number, i1: number): number {
    let n = 0;
    this.each(i0, i1, (chunk, a, b) => (n += chunk.cumTotal[b]! - chunk.cumTotal[a]!));
    return n;
  }

  anyPresent(i0: number, i1: number): boolean {
    let any = false;
    this.each(i0, i1, (chunk, a, b) => {
      for (let w = a; w < b && !any; w++) any = chunk.present[w] === 1;
    });
    return any;
  }

  /** Calls fn with each loaded chunk's local window range [a, b) inside [i0, i1). */
  private each(i0: number, i1: number, fn: (chunk: Chunk, a: number, b: number) => void): void {
    for (let c = LevelStore.chunkOf(i0); c * CHUNK_WINDOWS < i1; c++) {
      const chunk = this.chunks.get(c);
      if (!chunk) continue;
      const first = c * CHUNK_WINDOWS;
      fn(chunk, Math.max(i0, first) - first, Math.min(i1, first + CHUNK_WINDOWS) - first);
    }
  }
}
