// Bytes -> Recording: checks the header (not SQLite, cut short, another application, a newer
// format), opens the bytes with sql.js, reads what the recording is, refuses an empty one, and
// completes its rollups when they are missing or behind (once, in the sql.js copy).
// Every failure is a RecordingError naming the file.

import { Recording } from '../model/recording.js';
import { asRecordingError, RecordingError } from './recording-error.js';
import { sqlEngine, type SqlEngine } from './sql-engine.js';
import { completeRollups } from './rollup-build.js';
import { checkRecordingBytes, withoutWal } from './sqlite-header.js';
import { readRecordingInfo, SqlJsSource } from './sqljs-source.js';

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
export async function openRecording(bytes: Uint8Array, name: string, engine?: SqlEngine): Promise<Recording> {
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
    if (info.seconds.length === 0) throw new RecordingError(name, 'empty', 'the recording holds no seconds yet (nothing was recorded)');
    const build = completeRollups(db, info.rollupThrough, info.seconds[info.seconds.length - 1]!.t + 1);
    if (build.from !== null) {
      performance.mark('heat:rollups-built', { detail: build });
      info = readRecordingInfo(db, name);
    }
    return new Recording(info, new SqlJsSource(db));
  } catch (err) {
    db.close();
    throw asRecordingError(err, name);
  }
}
