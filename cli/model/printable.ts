// Text from a recording made safe for a terminal: control characters (C0, DEL, C1, which start
// escape sequences that retitle, clear or recolour it) shown as visible escapes instead of sent.

/** C0 except tab and newline, DEL, C1, and the bidi overrides that reorder what a line shows. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** Inside one-line fields (a key, a host), newlines and tabs are escaped too. */
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One line of text with every control character (newlines too) as \uXXXX: "\u001b[2J" prints as \u001b[2J. */
export function printable(text: string): string {
  return text.replace(CONTROL_OR_BREAK, escaped);
}

/** Text of several lines (a message, a CSV) with control characters other than tab and newline escaped. */
export function printableLines(text: string): string {
  return text.replace(CONTROL, escaped);
}

/**
 * JSON text with C1 controls and bidi overrides escaped as JSON escapes too (JSON.stringify
 * leaves them raw): the same value to a parser, nothing a terminal acts on.
 */
export function printableJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, escaped);
}
