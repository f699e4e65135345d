// The stack companions of heat-record --stacks in dtrace(1) text (dtrace-stack-aggregations.ts): a
// marker line, then a printa whose keys end with stacks. Each stack prints as a newline and one
// line per frame, leaf first, so a key spans lines and blank ones (captured in
// test/fixtures/dtrace-linux/stacks-*.txt):
//   heat-tracer:stacks @lat_us user+kernel
//   (blank)                                        <- printa's own newline
//               23916                              <- the key line: the second, the user's key
//                 libc.so.6`clock_nanosleep+0x23   <- ustack(), leaf first
//                 two-path`slow_path+0xe
//                 libc.so.6`0x7f85d25b824a         <- a frame with a module but no symbol
//   (blank)                                        <- stack()'s own newline
//                 vmlinux`do_syscall_64+0x243
//   (blank)                                        <- the distribution's own newline
//            value  ------------- Distribution ------------- count
// An empty stack (a kernel thread's ustack()) is its newline alone: one more blank line.

import { closedTableEvent } from './dtrace-buckets.js';
import { parseKeyLine } from './dtrace-keys.js';
import { isTableHeader } from './dtrace-layout.js';
import { looksLikeRow, parseRow, type DtraceRow } from './dtrace-rows.js';
import { NO_STACK_FRAME, type StackKind } from './bpftrace-stacks.js';
import { dtraceFrameNames } from './dtrace-frames.js';
import type { TraceEvent } from './trace-event.js';

/** Printed before each stack companion's printa: `heat-tracer:stacks @lat_us user+kernel`. */
export const STACKS_MARKER = 'heat-tracer:stacks';

/** The aggregation and stack kinds a marker line names, or null when the line is not one. */
export function parseStacksMarker(
  line: string,
): { aggregation: string; kinds: StackKind[] } | null {
  const m = /^heat-tracer:stacks (@\w*) (user|kernel|user\+kernel)$/.exec(line.trim());
  if (!m) return null;
  return { aggregation: m[1]!, kinds: m[2]!.split('+') as StackKind[] };
}

/** Reads one companion's printa, line by line, into histograms with frames. */
export class DtraceStackTables {
  /** Lines since the last table ended: the next table's key. */
  private keyLines: string[] = [];
  /** The open table; `key` null when its key did not parse (its rows are then passed over). */
  private table: {
    key: { key: string[]; frames: string[] } | null;
    rows: DtraceRow[];
    skipped: number;
  } | null = null;
  private headerLine = 0;

  constructor(
    private readonly aggregation: string,
    private readonly kinds: readonly StackKind[],
    private readonly emit: (e: TraceEvent) => void,
  ) {}

  line(text: string, lineNo: number): void {
    if (this.table && this.tableLine(text, lineNo)) return;
    if (isTableHeader(text)) return this.openTable(lineNo);
    this.keyLines.push(text);
  }

  /** The next marker came: the last table ends. */
  end(): void {
    this.closeTable();
  }

  private tableLine(text: string, lineNo: number): boolean {
    const row = text.trim() === '' ? null : parseRow(text, lineNo);
    if (row && !('utf8' in row)) {
      this.table!.rows.push(row);
      return true;
    }
    if (text.trim() !== '' && looksLikeRow(text)) {
      this.emit({ type: 'skipped', line: lineNo, reason: 'not a distribution row' });
      this.table!.skipped++;
      return true;
    }
    this.closeTable();
    return text.trim() === ''; // the blank line ends the table; anything else starts a key
  }

  private openTable(lineNo: number): void {
    const key = splitStackKey(this.keyLines, this.kinds);
    this.keyLines = [];
    this.headerLine = lineNo;
    if (!key)
      this.emit({ type: 'skipped', line: lineNo, reason: 'a stack key without its stacks' });
    this.table = { key, rows: [], skipped: 0 };
  }

  private closeTable(): void {
    const table = this.table;
    this.table = null;
    if (!table?.key) return;
    this.emit(
      closedTableEvent(table.rows, table.skipped, this.headerLine, {
        aggregation: this.aggregation,
        ...table.key,
      }),
    );
  }
}

/**
 * The key line and stacks of the lines before a table header: leading blank lines (printa's
 * newline, the end of the previous table), the key line, then per stack its frames and a blank
 * line. Frames come out root first, user frames then kernel frames; null when the lines do not
 * hold that shape.
 */
export function splitStackKey(
  lines: readonly string[],
  kinds: readonly StackKind[],
): { key: string[]; frames: string[] } | null {
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  if (i === lines.length) return null;
  const key = parseKeyLine(lines[i++]!);
  const stacks: Record<StackKind, string[]> = { user: [], kernel: [] };
  for (const kind of kinds) {
    const printed: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') printed.push(lines[i++]!);
    if (i++ === lines.length) return null; // no blank line after the stack
    stacks[kind] = dtraceFrameNames(printed, kind);
  }
  if (i !== lines.length) return null;
  const frames = [...stacks.user, ...stacks.kernel];
  return { key, frames: frames.length > 0 ? frames : [NO_STACK_FRAME] };
}
