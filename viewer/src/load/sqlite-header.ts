// Reads the 100-byte SQLite file header to tell, before opening anything, what a file is:
// not SQLite, cut short, or which application and version wrote it.
// Layout: https://www.sqlite.org/fileformat.html#the_database_header

import { APPLICATION_ID, FORMAT_VERSION } from '../../../schemas/format.js';
import { RecordingError } from './recording-error.js';

const MAGIC = 'SQLite format 3\u0000';

export interface SqliteHeader {
  pageSize: number;
  /** Pages in the file by the header, or null when the header's count is stale. */
  pageCount: number | null;
  applicationId: number;
  userVersion: number;
  /** File format write/read version 2: the file was left in WAL mode. */
  wal: boolean;
}

/** The header, or null when the bytes do not start like SQLite. */
export function readSqliteHeader(bytes: Uint8Array): SqliteHeader | null {
  if (bytes.length < 100 || !startsWithMagic(bytes)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 100);
  const rawPageSize = view.getUint16(16);
  const countValid = view.getUint32(92) === view.getUint32(24);
  return {
    pageSize: rawPageSize === 1 ? 65536 : rawPageSize,
    pageCount: countValid ? view.getUint32(28) : null,
    applicationId: view.getUint32(68),
    userVersion: view.getUint32(60),
    wal: bytes[18] === 2 || bytes[19] === 2,
  };
}

function startsWithMagic(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

/**
 * Throws a RecordingError saying why these bytes are not a recording this viewer reads.
 * @param bytes the file, or its start (at least the 100-byte header) when `size` is given
 */
export function checkRecordingBytes(
  bytes: Uint8Array,
  file: string,
  size = bytes.length,
): SqliteHeader {
  if (size === 0) throw new RecordingError(file, 'empty', 'the file is empty (0 bytes)');
  if (!startsWithMagic(bytes))
    throw new RecordingError(
      file,
      'not-sqlite',
      'not a SQLite database, so not a Heat Tracer recording',
    );
  const header = readSqliteHeader(bytes);
  if (!header)
    throw new RecordingError(
      file,
      'truncated',
      `the file is cut short: ${bytes.length} bytes, less than a SQLite header`,
    );
  const expected = header.pageCount === null ? null : header.pageCount * header.pageSize;
  if (size % header.pageSize !== 0 || (expected !== null && size < expected)) {
    const whole = expected === null ? '' : ` of ${expected}`;
    throw new RecordingError(
      file,
      'truncated',
      `the file is cut short: ${size}${whole} bytes (was it copied while still downloading?)`,
    );
  }
  if (header.applicationId !== APPLICATION_ID) {
    throw new RecordingError(
      file,
      'not-recording',
      `a SQLite database, but not a Heat Tracer recording (application_id ${header.applicationId})`,
    );
  }
  if (header.userVersion > FORMAT_VERSION) {
    throw new RecordingError(
      file,
      'newer-version',
      `made by a newer Heat Tracer (format version ${header.userVersion}; this viewer reads up to ${FORMAT_VERSION}): update the viewer`,
    );
  }
  return header;
}

/** A copy whose header says rollback journal instead of WAL, so an in-memory SQLite opens it. */
export function withoutWal(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy[18] = 1;
  copy[19] = 1;
  return copy;
}
