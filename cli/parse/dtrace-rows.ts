// One row of a dtrace(1) distribution table, read from the right: labels such as
// `-4611686018427387904` are wider than their 16 columns and push the bar along.
//   `             512 |@@@@@@@                                  1        `
//   `     abs() < 256 |                                         130      `

import { isInt64 } from '../model/int64.js';

export type LabelKind = 'value' | 'below' | 'at-most' | 'at-least' | 'abs-below';

export interface DtraceRow {
  /** `v`, `< v`, `<= v`, `>= v` or `abs() < v` (the last two only in Oracle's dtrace-utils). */
  kind: LabelKind;
  /** The number in the label, signed 64-bit. */
  value: bigint;
  /** The count, signed 64-bit (weights can be negative, sums wrap). */
  count: bigint;
  /** Bar cells drawn. */
  depth: number;
  /** 40 cells, or 20 on each side of the pipe when the table has counts of both signs. */
  barLength: 40 | 20;
  /** 1-based line number in the output. */
  line: number;
}

/** 40 bar cells and one pipe, between the label's trailing space and the count's leading space. */
const BAR_FIELD = 41;
const LABEL = /^(?:(<|<=|>=) )?(-?\d+)$/;
const ABS_LABEL = /^abs\(\) < (\d+)$/;
const BAR_SHAPES: { re: RegExp; barLength: 40 | 20 }[] = [
  { re: /^\|[@ ]{40}$/, barLength: 40 }, // all counts >= 0
  { re: /^[@ ]{40}\|$/, barLength: 40 }, // all counts <= 0
  { re: /^[@ ]{20}\|[@ ]{20}$/, barLength: 20 }, // both signs
];
/** `-x encoding=utf8` draws U+2588..U+258F block glyphs instead of `@`. */
const UTF8_CELL = /[\u2580-\u259f]/;

export type RowResult = DtraceRow | { utf8: true } | null;

/** Parses a table row; `{ utf8: true }` when its bar is drawn with block glyphs; null if not a row. */
export function parseRow(text: string, line: number): RowResult {
  const s = text.trimEnd();
  const count = /\s(-?\d+)$/.exec(s);
  if (!count) return null;
  const rest = s.slice(0, count.index);
  const labelField = rest.slice(0, -BAR_FIELD);
  if (!labelField.endsWith(' ')) return null;
  const label = parseLabel(labelField.trim());
  if (!label) return null;
  const bar = rest.slice(-BAR_FIELD);
  if (UTF8_CELL.test(bar)) return { utf8: true };
  const shape = BAR_SHAPES.find((b) => b.re.test(bar));
  if (!shape) return null;
  const depth = bar.split('@').length - 1;
  const n = BigInt(count[1]!);
  return isInt64(n) ? { ...label, count: n, depth, barLength: shape.barLength, line } : null;
}

/** Reads a row label: `512`, `< 0`, `<= -16`, `>= 100`, `abs() < 256`; null beyond 64 bits. */
export function parseLabel(label: string): { kind: LabelKind; value: bigint } | null {
  const abs = ABS_LABEL.exec(label);
  const m = abs ? null : LABEL.exec(label);
  const value = abs ? BigInt(abs[1]!) : m ? BigInt(m[2]!) : null;
  if (value === null || !isInt64(value)) return null;
  if (abs) return { kind: 'abs-below', value };
  const kind: LabelKind =
    m![1] === '<' ? 'below' : m![1] === '<=' ? 'at-most' : m![1] === '>=' ? 'at-least' : 'value';
  return { kind, value };
}

/** A label, then at least the bar field and a count's first digit: 16 + 1 + 41 + 1 + 1 characters. */
const ROW_WIDTH = 60;
const STARTS_WITH_LABEL = /^\s*(?:<|<=|>=|abs\(\) <)?\s*-?\d+ /;

/**
 * Inside a table: a line with a pipe, or as wide as a row and starting with a label, is meant as a
 * row even if it does not parse as one (a count, bar or pipe garbled). Key and scalar lines that
 * may follow a table's last row start with a key, not a number, and have no bar field.
 */
export function looksLikeRow(text: string): boolean {
  return text.includes('|') || (text.length >= ROW_WIDTH && STARTS_WITH_LABEL.test(text));
}
