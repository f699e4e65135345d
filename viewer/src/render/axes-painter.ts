// The heat map's axes, drawn with canvas 2D in CSS px (the context is scaled by devicePixelRatio):
// time along the bottom as wall clock over relative time, latency up the left side on its true
// scale with unit-aware labels, the under/overflow bands labelled as such, and the recording's
// health (gaps, drops, errors) as marks on the time axis.

import type { Unit } from '../../../schemas/format.js';
import type { AxisLayout } from '../model/axis-layout.js';
import type { HealthRow } from '../model/recording-source.js';
import { formatClock, formatRelative, timeTicks } from '../model/time-format.js';
import { formatValue } from '../model/value-format.js';
import { linearTicks, logTicks } from '../model/value-ticks.js';
import { timeToX, type ViewWindow } from '../model/view-window.js';
import { MARGIN, type Rect } from './plot-geometry.js';

const INK = '#333';
const FAINT = '#999';
const FONT = '11px system-ui, sans-serif';
export const HEALTH_COLOURS: Record<string, string> = {
  gap: '#8c8c99',
  drop: '#d62728',
  error: '#8b0000',
  warning: '#e69500',
  exit: '#555',
};

export function drawTimeAxis(
  ctx: CanvasRenderingContext2D,
  plot: Rect,
  w: ViewWindow,
  startMs: number,
  utc: boolean,
): void {
  const bottom = plot.y + plot.height;
  ctx.font = FONT;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const right = plot.x + plot.width + MARGIN.right;
  for (const t of timeTicks(w.start, w.end, Math.max(2, Math.floor(plot.width / 110)))) {
    const x = plot.x + timeToX(t, w, plot.width);
    ctx.fillStyle = FAINT;
    ctx.fillRect(Math.round(x), bottom, 1, 5);
    const clock = formatClock(startMs + t * 1000, utc);
    // Keep the last label inside the canvas: slide it left rather than cut it.
    const labelX = Math.min(x, right - ctx.measureText(clock).width / 2 - 1);
    ctx.fillStyle = INK;
    ctx.fillText(clock, labelX, bottom + 12);
    ctx.fillStyle = FAINT;
    ctx.fillText(formatRelative(t), labelX, bottom + 26);
  }
}

/**
 * @param layout the axis laid out on the plot in device px; dpr converts to CSS px.
 */
export function drawLatencyAxis(
  ctx: CanvasRenderingContext2D,
  plot: Rect,
  layout: AxisLayout,
  dpr: number,
  unit: Unit,
): void {
  const { axis, options } = layout;
  const values =
    options.scale === 'log'
      ? logTicks(axis.finiteMin, axis.finiteMax)
      : linearTicks(axis.finiteMin, axis.finiteMax, Math.max(2, Math.floor(plot.height / 40)));
  ctx.font = FONT;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const hasFinite = axis.kinds.includes('finite');
  for (const v of hasFinite ? values : []) {
    const y = plot.y + layout.valueToY(v) / dpr;
    if (y < plot.y - 0.5 || y > plot.y + plot.height + 0.5) continue;
    ctx.fillStyle = FAINT;
    ctx.fillRect(plot.x - 5, Math.round(y), 5, 1);
    ctx.fillStyle = INK;
    ctx.fillText(formatValue(v, unit), plot.x - 8, y);
  }
  drawBandLabel(
    ctx,
    plot,
    layout,
    dpr,
    axis.rowsOfKind('over'),
    (lo) => `≥ ${formatValue(lo, unit)}`,
  );
  drawBandLabel(
    ctx,
    plot,
    layout,
    dpr,
    axis.rowsOfKind('under'),
    (_lo, hi) => `< ${formatValue(hi + 1, unit)}`,
  );
}

function drawBandLabel(
  ctx: CanvasRenderingContext2D,
  plot: Rect,
  layout: AxisLayout,
  dpr: number,
  rows: number[],
  label: (lo: number, hi: number) => string,
): void {
  if (rows.length === 0) return;
  const top = Math.min(...rows.map((r) => layout.rowTop[r]!)) / dpr;
  const bottom = Math.max(...rows.map((r) => layout.rowBottom[r]!)) / dpr;
  const b = layout.axis.rows[rows[0]!]!;
  const text =
    rows.length === 1
      ? label(b.lo ?? 0, b.hi ?? 0)
      : rows === layout.axis.rowsOfKind('over')
        ? 'overflow'
        : 'underflow';
  ctx.fillStyle = '#eef';
  ctx.fillRect(plot.x - 4, plot.y + top, 2, bottom - top);
  ctx.fillStyle = INK;
  ctx.font = `italic ${FONT}`;
  ctx.fillText(text, plot.x - 8, plot.y + (top + bottom) / 2);
  ctx.font = FONT;
}

/** Health marks just under the plot: a bar over missed seconds, a tick at every drop, error or warning. */
export function drawHealth(
  ctx: CanvasRenderingContext2D,
  plot: Rect,
  w: ViewWindow,
  health: readonly HealthRow[],
): void {
  const y = plot.y + plot.height + 1;
  for (const h of health) {
    if (h.t === null) continue;
    const x0 = plot.x + timeToX(h.t, w, plot.width);
    const x1 = plot.x + timeToX(h.t + (h.kind === 'gap' ? h.count : 1), w, plot.width);
    if (x1 < plot.x || x0 > plot.x + plot.width) continue;
    ctx.fillStyle = HEALTH_COLOURS[h.kind] ?? INK;
    ctx.fillRect(
      Math.max(plot.x, x0),
      y,
      Math.max(2, Math.min(x1, plot.x + plot.width) - Math.max(plot.x, x0)),
      4,
    );
  }
}
