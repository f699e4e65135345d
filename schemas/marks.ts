// Marks: notes of what happened when ("deploy v2"), stored in the recording's `mark` table
// (recording.sql) by `heat-record mark` (also while recording) and by the viewer. The rules both
// sides check before writing one, and that readers check when loading one. Added in v1 (issue 13):
// files written before have no mark table and read as having no marks.

/** Characters a mark's text may have: a label on the time axis, not a log. */
export const MAX_MARK_CHARS = 200;

/** Who wrote a mark: `heat-record mark` (cli), the viewer, or a tool of the user's (any short word). */
export const MAX_MARK_SOURCE_CHARS = 32;

/** One row of the mark table. Times are wall-clock Unix ms, like meta.start_ms. */
export interface Mark {
  id: number;
  /** The moment marked, or the start of a span. */
  atMs: number;
  /** The end of a span (>= atMs); null for a moment. */
  endMs: number | null;
  text: string;
  /** When the mark was written. */
  createdMs: number;
  /** cli | viewer | merge | ... */
  source: string;
}

/** A mark as given to a writer: the table numbers it. */
export type NewMark = Omit<Mark, 'id'>;

/** Unix ms from 1970 up to the year 9999, as meta.start_ms may be. */
const MAX_MARK_MS = Date.UTC(9999, 0, 1);

/** What is wrong with a mark's text, in words; null when it may be stored. */
export function markTextProblem(text: string): string | null {
  if (text.trim() === '') return 'the mark text is empty';
  if (text.length > MAX_MARK_CHARS)
    return `the mark text is ${text.length} characters long (at most ${MAX_MARK_CHARS})`;
  if (/[\u0000-\u001f\u007f]/.test(text))
    return 'the mark text holds a line break or control character (a mark is one line)';
  return null;
}

/** What is wrong with a whole mark (text, times, source), in words; null when it may be stored. */
export function markProblem(m: NewMark): string | null {
  const textProblem = markTextProblem(m.text);
  if (textProblem) return textProblem;
  const time = (ms: number) => Number.isInteger(ms) && ms >= 0 && ms <= MAX_MARK_MS;
  if (!time(m.atMs)) return `the mark's time ${m.atMs} is not a Unix time in ms`;
  if (m.endMs !== null && !time(m.endMs))
    return `the mark's end ${m.endMs} is not a Unix time in ms`;
  if (m.endMs !== null && m.endMs < m.atMs) return 'the mark ends before it starts';
  if (!time(m.createdMs)) return `the mark's creation time ${m.createdMs} is not a Unix time in ms`;
  if (m.source === '' || m.source.length > MAX_MARK_SOURCE_CHARS)
    return `the mark's source is not a word of 1 to ${MAX_MARK_SOURCE_CHARS} characters`;
  return null;
}

/** The CREATE TABLE statement of the mark table, taken from recording.sql's text (for files made before it). */
export function markTableSql(recordingSql: string): string {
  const statement = /CREATE TABLE IF NOT EXISTS mark \([^;]*\);/.exec(recordingSql);
  if (!statement) throw new Error('recording.sql has no mark table');
  return statement[0];
}

/** Whether a mark (a moment, or a span) touches the window [fromMs, toMs): what a clip or a windowed export keeps. */
export function markOverlaps(
  m: Pick<Mark, 'atMs' | 'endMs'>,
  fromMs: number,
  toMs: number,
): boolean {
  return (m.endMs ?? m.atMs) >= fromMs && m.atMs < toMs;
}
