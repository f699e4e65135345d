// Bytes -> Recording: checks the header (not SQLite, cut short, another application, a newer
// format), opens the bytes with sql.js, reads what the recording is, refuses an empty one, and
// completes its rollups when they are missing or behind (once, in the sql.js copy).
// A large file is opened in parts instead (openInParts, see paged-file.ts) when that pays: its
// rollups complete and its tables laid out together (as heat-record leaves a finished file).
// Every failure is a RecordingError naming the file.

import { Recording } from '../model/recording.js';
import type { RecordingInfo } from '../model/recording-source.js';
import { VIEW_ROWS } from '../model/leveled-counts.js';
import { asRecordingError, RecordingError } from './recording-error.js';
import { sqlEngine, type SqlEngine } from './sql-engine.js';
import { completeRollups, rollupsComplete } from './rollup-build.js';
import { BLOCK, PagedFile, TooScattered, type ByteSource } from './paged-file.js';
import { checkRecordingBytes, withoutWal } from './sqlite-header.js';
import {
  overviewWalks,
  readRecordingInfo,
  readRecordingInfoInParts,
  SqlJsSource,
} from './sqljs-source.js';

/**
 * Bytes SQLite may keep as its file. sql.js writes the bytes into its in-memory file system,
 * which copies them with slice() unless told it may own them; a slice() that returns a view
 * keeps one copy of a day-long recording (hundreds of MB) in memory instead of two.
 */
class OwnedBytes extends Uint8Array {
  static get [Symbol.species](): Uint8ArrayConstructor {
    return Uint8Array;
  }

  constructor(bytes: Uint8Array) {
    super(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length);
  }

  override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
    return this.subarray(start, end) as Uint8Array<ArrayBuffer>;
  }
}

/**
 * Opens a recording from its bytes. The bytes are handed to SQLite, not copied (unless the file
 * was left in WAL mode): the caller must not use them afterwards, SQLite may write to them.
 * @param name the file name or URL, for messages
 * @param engine @default the shared sql.js engine
 */
export async function openRecording(
  bytes: Uint8Array,
  name: string,
  engine?: SqlEngine,
): Promise<Recording> {
  const header = checkRecordingBytes(bytes, name);
  const sql = engine ?? (await sqlEngine());
  let db;
  try {
    db = new sql.Database(new OwnedBytes(header.wal ? withoutWal(bytes) : bytes));
  } catch (err) {
    throw asRecordingError(err, name);
  }
  try {
    let info = readRecordingInfo(db, name);
    const build = completeRollups(db, info.rollupThrough, recordingEnd(info, name), name);
    if (build.from !== null) {
      performance.mark('heat:rollups-built', { detail: build });
      info = readRecordingInfo(db, name);
    }
    return new Recording(info, new SqlJsSource(db, name));
  } catch (err) {
    db.close();
    throw asRecordingError(err, name);
  }
}

/** The second after the last one recorded; a RecordingError ('empty') when there is none. */
function recordingEnd(info: RecordingInfo, name: string): number {
  const last = info.secondRuns.at(-1)?.last;
  if (last === undefined)
    throw new RecordingError(
      name,
      'empty',
      'the recording holds no seconds yet (nothing was recorded)',
    );
  return last + 1;
}

/** Files at least this large are opened in parts; smaller ones are read whole (one read is quicker). */
export const IN_PARTS_FROM = 32 << 20;
/**
 * Fetches opening may take before reading the whole file is the better deal: a file whose tables
 * are interleaved (written by a recorder that was killed, or by an older one) needs one per page.
 * A fetch costs about what reading 512 KB does (see BLOCK), so the budget grows with the file, to
 * a cap that keeps the worst case (giving up, then reading it whole) well under a second extra.
 */
function openFetchBudget(size: number): number {
  return Math.min(96, Math.max(16, Math.round(size / (512 << 10))));
}

/**
 * Opens a recording reading only the parts it shows. Null when the file is better read whole:
 * left in WAL mode, rollups to build, or its tables interleaved (the caller then reads it whole).
 * @param head the file's first bytes (at least its header), when already in hand
 */
export async function openInParts(
  source: ByteSource,
  name: string,
  head?: Uint8Array,
  engine?: SqlEngine,
): Promise<Recording | null> {
  const start = head ?? (await source.read(0, Math.min(BLOCK, source.size)));
  const header = checkRecordingBytes(start, name, source.size);
  if (header.wal) return null;
  const pages = new PagedFile(source);
  pages.seed(0, start);
  const sql = engine ?? (await sqlEngine());
  let db;
  try {
    db = new sql.Database(pages.contents());
  } catch (err) {
    throw asRecordingError(err, name);
  }
  try {
    const limit = pages.stats.fetches + openFetchBudget(pages.length); // for the whole of opening
    const settleAll = (reads: (() => unknown)[]) =>
      pages.settleAll(reads, limit - pages.stats.fetches);
    // The whole-range view and the overview strip draw from the all-keys windows of the levels
    // that fit VIEW_ROWS: read along with the info. A week's 10 s windows (60,480, ~90 MB) would
    // be read only to be dropped from the budget before the first frame.
    const info = await readRecordingInfoInParts(db, name, settleAll, overviewWalks(db, VIEW_ROWS));
    const end = recordingEnd(info, name);
    if (!rollupsComplete(info.rollupThrough, end)) {
      db.close();
      return null;
    }
    performance.mark('heat:opened-in-parts', { detail: { ...pages.stats } });
    return new Recording(info, new SqlJsSource(db, name, pages));
  } catch (err) {
    db.close();
    if (err instanceof TooScattered) return null;
    throw asRecordingError(err, name);
  }
}
