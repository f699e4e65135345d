// Bytes -> Recording: checks the header (not SQLite, cut short, another application, a newer
// format), opens the bytes with sql.js, reads what the recording is, and refuses an empty one.
// Every failure is a RecordingError naming the file.

import { Recording } from '../model/recording.js';
import { asRecordingError, RecordingError } from './recording-error.js';
import { sqlEngine, type SqlEngine } from './sql-engine.js';
import { checkRecordingBytes, withoutWal } from './sqlite-header.js';
import { readRecordingInfo, SqlJsSource } from './sqljs-source.js';

/**
 * Opens a recording from its bytes. The bytes are handed to SQLite (not copied) unless the file
 * was left in WAL mode.
 * @param name the file name or URL, for messages
 * @param engine @default the shared sql.js engine
 */
export async function openRecording(bytes: Uint8Array, name: string, engine?: SqlEngine): Promise<Recording> {
  const header = checkRecordingBytes(bytes, name);
  const sql = engine ?? (await sqlEngine());
  let db;
  try {
    db = new sql.Database(header.wal ? withoutWal(bytes) : bytes);
  } catch (err) {
    throw asRecordingError(err, name);
  }
  try {
    const info = readRecordingInfo(db, name);
    if (info.seconds.length === 0) throw new RecordingError(name, 'empty', 'the recording holds no seconds yet (nothing was recorded)');
    return new Recording(info, new SqlJsSource(db));
  } catch (err) {
    db.close();
    throw asRecordingError(err, name);
  }
}
