// Parser for dtrace(1)'s default text output of quantize/lquantize/llquantize aggregations:
// `printa(@a)` with no format, and the dump at exit. Layout: tracer-formats.md 2.1 and 6, and
// the real test-suite outputs in reference/dtrace-real (their README lists what a parser meets).
//
//   (blank)                                                  <- printa's own leading newline
//     write                                                  <- key line (absent: keyless)
//              value  ------------- Distribution ------------- count
//                256 |                                         0
//                512 |@@@@@@@                                  1
//   (blank)                                                  <- end of the table
//   heat-tracer:tick 1234567890                              <- the recorder's marker

import { closedTableEvent } from './dtrace-buckets.js';
import { parseKeyLine } from './dtrace-keys.js';
import { isTableHeader, layoutError, otherLayoutHeader } from './dtrace-layout.js';
import { looksLikeRow, parseRow, type DtraceRow } from './dtrace-rows.js';
import { PrintaSeconds } from './dtrace-printa-seconds.js';
import { DtraceStackTables, parseStacksMarker } from './dtrace-stack-tables.js';
import { parseWalltimeLine } from './dtrace-walltime.js';
import { LineSplitter } from './line-splitter.js';
import type { StackKind } from './bpftrace-stacks.js';
import { parseMarker, type TraceEvent, type TraceParser } from './trace-event.js';

/** The name given to tables when the aggregation names are not known (dtrace never prints them). */
const UNKNOWN_AGGREGATION = '@';

export interface DtraceTextOptions {
  /** Aggregation names in printa order, e.g. ['@lat_ns']; tables of unknown ones are named '@'. @default [] */
  aggregations?: readonly string[];
  /**
   * Read the stack companions of heat-record --stacks (dtrace-stack-tables.ts) into histograms
   * with frames; otherwise their printa calls are passed over. @default false
   */
  stacks?: boolean;
}

/**
 * True when the output holds a dtrace distribution table header, in any layout (the parser then
 * names the layouts it refuses). Marker lines alone do not decide: bpftrace text carries them too.
 */
export function isDtraceText(firstBytes: string): boolean {
  return firstBytes
    .split('\n')
    .some((line) => isTableHeader(line) || otherLayoutHeader(line) !== null);
}

interface OpenTable {
  aggregation: string;
  key: string[];
  headerLine: number;
  rows: DtraceRow[];
  /** Row-like lines of this table that did not parse. */
  skipped: number;
}

/**
 * Incremental parser of dtrace(1) text output.
 * - Each distribution table → one histogram event (zero-count buckets dropped, scheme from the labels).
 * - `heat-tracer:tick|end <ns>` lines → tick events.
 * - `heat-tracer:stacks @name kinds` lines → the printa that follows, up to the next marker, is a
 *   stack companion: with `stacks`, histograms of @name with frames (dtrace-stack-tables.ts).
 * - Saved output without markers: a wall-clock line (see dtrace-walltime.ts) → interval-start with
 *   its time; without those, each round of the named printa calls, or with no names each printa
 *   call that repeats a key of the current second (dtrace-printa-seconds.ts) → interval-start.
 * - Scalar aggregation values, probe lines, printf text → ignored.
 * - A line with a pipe inside a table that does not parse as a row, or a row outside a table → skipped.
 * - agghist / aggpack / aggzoom / encoding=utf8 layouts, or rows no dtrace prints → HeatError.
 *
 * Aggregation names: every `printa()` starts with one newline of its own, so the blank lines before
 * a table, less the one ending the previous table (and, keyless, the header's own), say how many
 * printa calls began since the last tick; the count picks the name. A printa of scalars (its lines
 * are not tables) takes no name, so pass only the distribution aggregations. An exit dump is one
 * block: its tables all take the first name.
 */
export class DtraceTextParser implements TraceParser {
  private readonly names: readonly string[];
  private readonly lines = new LineSplitter();
  private lineNo = 0;
  private events: TraceEvent[] = [];
  private table: OpenTable | null = null;
  /** Blank lines since the last non-blank one, and whether that one closed a table. */
  private blanks = 0;
  private afterTable = false;
  /** The last non-blank line outside a table (a key line if a header follows), with the printa calls begun before it. */
  private candidate: { text: string; starts: number } | null = null;
  /** Index of the current printa call since the last tick; -1 before the first. */
  private printa = -1;
  /** How many times the names have been gone through when the last table opened (null after a tick). */
  private lastRound: number | null = null;
  /** Once the output has markers, they alone end intervals. */
  private sawMarker = false;
  /** Once it has wall-clock lines, they end intervals (several printa calls may share one). */
  private sawWalltime = false;
  /** With none of markers, names and wall-clock lines: printa calls held to find where seconds begin. */
  private readonly printaSeconds = new PrintaSeconds();
  private readonly stacks: boolean;
  /** After a stacks marker: the companion's tables, until the next marker. */
  private stackTables: DtraceStackTables | null = null;

  constructor(options: DtraceTextOptions = {}) {
    this.names = options.aggregations ?? [];
    this.stacks = options.stacks ?? false;
  }

  push(chunk: string): TraceEvent[] {
    for (const line of this.lines.push(chunk)) this.parseLine(line);
    return this.take();
  }

  end(): TraceEvent[] {
    for (const line of this.lines.end()) this.parseLine(line);
    this.endStackTables();
    this.closeTable();
    this.events.push(...this.printaSeconds.flush());
    return this.take();
  }

  private take(): TraceEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  private parseLine(line: string): void {
    this.lineNo++;
    const marker = parseMarker(line);
    const stacks = marker ? null : parseStacksMarker(line);
    if (this.stackTables && !marker && !stacks) return this.stackTables.line(line, this.lineNo);
    this.endStackTables();
    if (this.table && this.tableLine(line, this.table)) return;
    if (line.trim() === '') return this.blankLine();
    if (marker) return this.tick(marker);
    if (stacks) return this.startStackTables(stacks.aggregation, stacks.kinds);
    const wallMs = this.sawMarker ? null : parseWalltimeLine(line);
    if (wallMs !== null) return this.walltime(wallMs);
    if (isTableHeader(line)) return this.openTable();
    const other = otherLayoutHeader(line);
    if (other) throw layoutError(this.lineNo, other);
    this.textLine(line);
  }

  /** Handles a line while a table is open; false when the table ended and the line is for the caller. */
  private tableLine(line: string, table: OpenTable): boolean {
    if (line.trim() === '') {
      this.closeTable();
      this.afterTable = true;
      return false;
    }
    const row = parseRow(line, this.lineNo);
    if (row && 'utf8' in row) throw layoutError(this.lineNo, 'encoding=utf8');
    if (row) {
      table.rows.push(row);
      return true;
    }
    if (looksLikeRow(line)) {
      this.skip('not a distribution row');
      table.skipped++;
      return true;
    }
    // A scalar or a key line may follow the last row directly (multi-aggregation printa).
    this.closeTable();
    return false;
  }

  private blankLine(): void {
    this.settleCandidate();
    this.blanks++;
  }

  private textLine(line: string): void {
    if (parseRow(line, this.lineNo)) return this.skip('a distribution row outside a table');
    this.settleCandidate();
    this.candidate = { text: line, starts: this.blanks - (this.afterTable ? 1 : 0) };
    this.blanks = 0;
    this.afterTable = false;
  }

  /** The candidate was not a key line: it belongs to a printa call of its own (a scalar) or to none (printf). */
  private settleCandidate(): void {
    if (this.candidate) this.printa += Math.max(0, this.candidate.starts - 1);
    this.candidate = null;
  }

  private openTable(): void {
    let key: string[] = [];
    if (this.candidate) {
      key = parseKeyLine(this.candidate.text);
      this.printa += Math.max(0, this.candidate.starts);
    } else {
      // Keyless: one of the blank lines is the header's own leading newline.
      this.printa += Math.max(0, this.blanks - (this.afterTable ? 1 : 0) - 1);
    }
    this.startRound();
    this.table = {
      aggregation: this.aggregationName(),
      key,
      headerLine: this.lineNo,
      rows: [],
      skipped: 0,
    };
    this.candidate = null;
    this.blanks = 0;
    this.afterTable = false;
  }

  private closeTable(): void {
    const table = this.table;
    this.table = null;
    if (!table) return;
    this.emit(
      closedTableEvent(table.rows, table.skipped, table.headerLine, {
        aggregation: table.aggregation,
        key: table.key,
      }),
    );
  }

  private startStackTables(aggregation: string, kinds: StackKind[]): void {
    this.settleCandidate();
    this.stackTables = new DtraceStackTables(aggregation, kinds, (e) => {
      if (this.stacks) this.events.push(e);
    });
  }

  private endStackTables(): void {
    this.stackTables?.end();
    this.stackTables = null;
  }

  private tick(marker: { tickNs: bigint | null; final: boolean }): void {
    this.events.push(...this.printaSeconds.flush(), { type: 'tick', ...marker });
    this.sawMarker = true;
    this.restartPrintaCount();
  }

  private walltime(wallMs: number): void {
    this.events.push(...this.printaSeconds.flush(), { type: 'interval-start', wallMs });
    this.sawWalltime = true;
    this.restartPrintaCount();
  }

  private restartPrintaCount(): void {
    this.settleCandidate();
    this.printa = -1;
    this.lastRound = null;
    this.blanks = 0;
    this.afterTable = false;
  }

  private skip(reason: string): void {
    this.emit({ type: 'skipped', line: this.lineNo, reason });
  }

  /** Histograms and skips go out at once, or are held with their printa call while its second is unknown. */
  private emit(e: TraceEvent): void {
    if (this.names.length === 0 && !this.sawMarker && !this.sawWalltime) this.printaSeconds.add(e);
    else this.events.push(e);
  }

  /** Without markers (saved output), printa calls coming round to the first name again begin a new second. */
  private startRound(): void {
    if (this.sawMarker || (this.names.length === 0 && this.sawWalltime)) return;
    const round = Math.floor(Math.max(0, this.printa) / Math.max(1, this.names.length));
    if (this.lastRound !== null && round > this.lastRound)
      this.events.push(
        ...(this.names.length === 0
          ? this.printaSeconds.nextCall()
          : [{ type: 'interval-start' as const }]),
      );
    this.lastRound = round;
  }

  /** Saved output without markers repeats the same printa calls every second, hence the modulo. */
  private aggregationName(): string {
    if (this.names.length === 0) return UNKNOWN_AGGREGATION;
    return this.names[Math.max(0, this.printa) % this.names.length]!;
  }
}
