// Parser for bpftrace's default text output, for `heat-record import` of saved runs. Reads the
// histogram tables; scalars and printf lines are not histograms and are passed over.
//
//   @lat_us[186]:                                     ← header: name, key as printed, nothing after ':'
//   (..., 0)               1 |@@@@@@@@@             |  ← rows: half-open label, count, bar
//   [0]                    2 |@@@@@@@@@@@@@@@@@@@@@@|
//   [2, 4)                 1 |@@@@@@@@@@@           |
//   [100, ...)             2 |@@@@@@@@@@@@@@@@@@@@@@|
//                                                     ← a blank line ends the table

import type { SchemeName } from '../../schemas/format.js';
import { HeatError } from '../model/heat-error.js';
import { INT64_MIN } from '../model/int64.js';
import type { Bucket } from '../model/snapshot.js';
import { splitKey } from './bpftrace-keys.js';
import { areBucketsAscending, inferScheme } from './bucket-scheme.js';
import { LineSplitter } from './line-splitter.js';
import { parseMarker, type TraceEvent, type TraceParser } from './trace-event.js';

/** `@name:` or `@name[key]:` with nothing after the colon (bpftrace prints a trailing space). */
const HEADER = /^(@\w*)(?:\[(.*)\])?:\s*$/;
/** `@name: value` or `@name[key]: value`: a scalar entry. */
const SCALAR = /^@\w*(?:\[.*\])?: \S/;
const ROW = /^([[(].*?[\])])\s+(\d+)(?:\s+\|[^|]*\|)?\s*$/;
/** A bar closes every row: a line ending in a pipe is meant as a row even when the rest is garbled. */
const LOOKS_LIKE_ROW = /^[[(].*\||\|\s*$/;
const ATTACHING = /^Attaching \d+ probes?\.\.\./;
/** time() with its default format "%H:%M:%S\n": bpftrace's own per-interval stamp. */
const TIME_STAMP = /^\d{2}:\d{2}:\d{2}$/;
const LOST = /^Lost (\d+) events/;

/** Label numbers: hist prints 2^10·n as nK etc.; lhist does the same when the value divides evenly. */
const SUFFIX: Record<string, bigint> = {
  '': 1n,
  K: 2n ** 10n,
  M: 2n ** 20n,
  G: 2n ** 30n,
  T: 2n ** 40n,
  P: 2n ** 50n,
  E: 2n ** 60n,
};
const NUM = '(-?\\d+[KMGTPE]?)';
const LABELS: [RegExp, (a: bigint, b: bigint) => [bigint | null, bigint | null]][] = [
  [new RegExp(`^\\(\\.\\.\\., ${NUM}\\)$`), (a) => [null, a - 1n]],
  [new RegExp(`^\\[${NUM}\\]$`), (a) => [a, a]],
  [new RegExp(`^\\[${NUM}, \\.\\.\\.\\)$`), (a) => [a, null]],
  [new RegExp(`^\\[${NUM}, ${NUM}\\)$`), (a, b) => [a, b - 1n]],
];
/**
 * 0.17's last hist row: values ≥ 2^31 all land here (32-bit index), so its true range is [2^31, ∞).
 * 0.20+ prints a real [2^31, 2^32) row with the same label; read as open-ended when it is the last row
 * it is only widened, never wrong, and it stays finite when a `[4G, 8G)` row follows.
 */
const LEGACY_TOP_LABEL = '[2G, 4G)';

/** True when the output looks like bpftrace text: an `Attaching N probes...` line, a map entry or a table row. */
export function isBpftraceText(firstBytes: string): boolean {
  if (/^\s*[{[]\s*"/.test(firstBytes)) return false;
  return firstBytes
    .split('\n')
    .some((l) => ATTACHING.test(l) || HEADER.test(l) || SCALAR.test(l) || ROW.test(l));
}

interface Table {
  aggregation: string;
  key: string[];
  rows: { label: string; bucket: Bucket }[];
}

/**
 * Incremental parser of bpftrace text output. Tables → histogram events (labels are half-open
 * [lo, hi), converted to inclusive bounds; zero rows dropped); `heat-tracer:tick|end` lines → tick;
 * a default time() stamp (`04:46:50`) or two blank lines in a row (0.17 prints them before its exit
 * dump; a table ends with only one) → interval-start; `Lost N events` → health drop. A row-like line inside a table that does not
 * parse → skipped; rows out of order → HeatError.
 */
export class BpftraceTextParser implements TraceParser {
  private readonly lines = new LineSplitter();
  private lineNo = 0;
  private blankRun = 0;
  private table: Table | null = null;

  /**
   * @param keyArity aggregation name → key elements, to split keys holding ", " (see splitKey)
   * @param schemeHints aggregation name → scheme known from the script; others are inferred from the bounds
   */
  constructor(
    private readonly keyArity: ReadonlyMap<string, number> = new Map(),
    private readonly schemeHints: ReadonlyMap<string, SchemeName> = new Map(),
  ) {}

  push(chunk: string): TraceEvent[] {
    return this.lines.push(chunk).flatMap((line) => this.parseLine(line));
  }

  end(): TraceEvent[] {
    return [...this.lines.end().flatMap((line) => this.parseLine(line)), ...this.closeTable()];
  }

  private parseLine(line: string): TraceEvent[] {
    this.lineNo++;
    if (line.trim() === '') return this.blank();
    this.blankRun = 0;
    if (this.table) {
      const row = this.readRow(line);
      if (row !== 'not-a-row') return row;
    }
    return [...this.closeTable(), ...this.outsideTable(line)];
  }

  private blank(): TraceEvent[] {
    this.blankRun++;
    const closed = this.closeTable();
    return this.blankRun === 2 ? [...closed, { type: 'interval-start' }] : closed;
  }

  /** Adds a row to the open table: [] when added, a skipped event for a broken row. */
  private readRow(line: string): TraceEvent[] | 'not-a-row' {
    const m = ROW.exec(line);
    const bounds = m ? parseLabel(m[1]!) : null;
    const count = m ? BigInt(m[2]!) : null;
    if (m && bounds && is64Bit(count!)) {
      this.addRow(m[1]!, { lo: bounds[0], hi: bounds[1], count: count! });
      return [];
    }
    if (LOOKS_LIKE_ROW.test(line))
      return [{ type: 'skipped', line: this.lineNo, reason: 'unreadable histogram row' }];
    return 'not-a-row';
  }

  private addRow(label: string, bucket: Bucket): void {
    const table = this.table!;
    const previous = table.rows[table.rows.length - 1];
    if (previous && !areBucketsAscending([previous.bucket, bucket])) {
      throw new HeatError(
        `bpftrace text output, line ${this.lineNo}: row ${label} of ${table.aggregation} is out of order`,
      );
    }
    table.rows.push({ label, bucket });
  }

  private outsideTable(line: string): TraceEvent[] {
    const header = HEADER.exec(line);
    if (header) {
      const key =
        header[2] === undefined ? [] : splitKey(header[2], ', ', this.keyArity.get(header[1]!));
      this.table = { aggregation: header[1]!, key, rows: [] };
      return [];
    }
    const marker = parseMarker(line);
    if (marker) return [{ type: 'tick', ...marker }];
    if (TIME_STAMP.test(line)) return [{ type: 'interval-start' }];
    if (ROW.test(line))
      return [{ type: 'skipped', line: this.lineNo, reason: 'a histogram row outside a table' }];
    const lost = LOST.exec(line);
    if (lost)
      return [
        {
          type: 'health',
          event: { kind: 'drop', message: `bpftrace: ${line.trim()}`, count: Number(lost[1]) },
        },
      ];
    return [];
  }

  private closeTable(): TraceEvent[] {
    const table = this.table;
    this.table = null;
    if (!table || table.rows.length === 0) return [];
    const last = table.rows[table.rows.length - 1]!;
    if (last.label === LEGACY_TOP_LABEL)
      last.bucket = { lo: 2n ** 31n, hi: null, count: last.bucket.count };
    const all = table.rows.map((r) => r.bucket);
    const buckets = all.filter((b) => b.count !== 0n);
    if (buckets.length === 0) return [];
    const scheme = this.schemeHints.get(table.aggregation) ?? inferScheme(all);
    return [
      {
        type: 'histogram',
        histogram: { aggregation: table.aggregation, key: table.key, scheme, buckets },
      },
    ];
  }
}

/** A row label → inclusive [lo, hi] (null = open end), or null when it is not a label or leaves 64 bits. */
function parseLabel(label: string): [bigint | null, bigint | null] | null {
  for (const [re, toBounds] of LABELS) {
    const m = re.exec(label);
    if (!m) continue;
    const bounds = toBounds(labelNumber(m[1]!), m[2] === undefined ? 0n : labelNumber(m[2]));
    const [lo, hi] = bounds;
    return bounds.every((b) => b === null || is64Bit(b)) && (lo === null || hi === null || lo <= hi)
      ? bounds
      : null;
  }
  return null;
}

/** Signed or unsigned 64-bit (bpftrace's counts and values are u64); the store refuses what it cannot hold. */
function is64Bit(n: bigint): boolean {
  return n >= INT64_MIN && n < 1n << 64n;
}

function labelNumber(text: string): bigint {
  const suffix = /[KMGTPE]$/.test(text) ? text.slice(-1) : '';
  return BigInt(text.slice(0, text.length - suffix.length)) * SUFFIX[suffix]!;
}
