// Why a file could not be opened, in words for the error banner: which file, and what is wrong.

export type RecordingProblem =
  | 'empty'
  | 'not-sqlite'
  | 'not-recording'
  | 'newer-version'
  | 'truncated'
  | 'damaged'
  | 'unreadable';

export class RecordingError extends Error {
  constructor(
    readonly file: string,
    readonly problem: RecordingProblem,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'RecordingError';
  }
}

/** Any failure while opening, as a RecordingError naming the file. */
export function asRecordingError(err: unknown, file: string): RecordingError {
  if (err instanceof RecordingError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/malformed|not a database|disk image|file is not/i.test(message)) {
    return new RecordingError(
      file,
      'truncated',
      `the file is damaged or cut short (SQLite: ${message})`,
    );
  }
  return new RecordingError(file, 'unreadable', message);
}
