// Draws one frame of the heat map canvas, computed beforehand (heat-frame.ts): the cells (painted
// into ImageData, one device pixel per column), then axes, health marks, percentile lines, the
// range selection, the replay cursor and the hovered cell with canvas 2D. Keeps what it drew, so
// hit tests read exactly the numbers behind the pixels.

import type { Unit } from '../../../schemas/format.js';
import type { HeatFrame } from '../model/heat-frame.js';
import { columnPercentiles } from '../model/percentiles.js';
import type { HealthRow } from '../model/recording-source.js';
import { timeToX, type ViewWindow } from '../model/view-window.js';
import { drawHealth, drawLatencyAxis, drawTimeAxis } from './axes-painter.js';
import { paintRuns } from './heatmap-painter.js';
import { BACKGROUND_CSS, palette, type PaletteName } from './palette.js';
import type { PlotGeometry, Rect } from './plot-geometry.js';

/** Colours of the percentile lines, by percentile. */
export const LINE_COLOURS: Record<number, string> = {
  50: '#111111',
  90: '#1f77b4',
  99: '#d62728',
  99.9: '#9467bd',
};

/** What is drawn over and around the cells. */
export interface HeatScene {
  unit: Unit;
  startMs: number;
  health: readonly HealthRow[];
  palette: PaletteName;
  /** Percentile lines to draw (e.g. [50, 99]). */
  lines: readonly number[];
  /** Replay cursor (seconds), or null. */
  cursor: number | null;
  /** Selected time range and optional band (CSS px from the plot top), or null. */
  range: { from: number; to: number; y0: number | null; y1: number | null } | null;
  /** The hovered cell, or null. */
  hover: { column: number; run: number } | null;
  utc: boolean;
}

/** A frame as drawn: enough to answer "what is under this pixel". */
export interface DrawnFrame extends HeatFrame {
  geometry: PlotGeometry;
}

export class HeatmapRenderer {
  private image: ImageData | null = null;
  private pixels: Uint32Array = new Uint32Array(0);
  private lineRows = new Int32Array(0);
  last: DrawnFrame | null = null;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** Draws `heat`, computed for the plot of `g` (heat.frame.columns = g.plotDevice.width). */
  draw(heat: HeatFrame, scene: HeatScene, g: PlotGeometry): DrawnFrame {
    const ctx = this.canvas.getContext('2d')!;
    const plot = g.plotDevice;
    const image = this.imageFor(ctx, plot);
    paintRuns({
      frame: heat.frame,
      runs: heat.layout.runs,
      runValues: heat.runValues,
      scale: heat.scale,
      lut: palette(scene.palette).lut,
      pixels: this.pixels,
      height: plot.height,
    });
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = BACKGROUND_CSS; // opaque margins: the canvas is also what Export PNG saves
    ctx.fillRect(0, 0, g.device.width, g.device.height);
    ctx.putImageData(image, plot.x, plot.y);
    ctx.setTransform(g.dpr, 0, 0, g.dpr, 0, 0);
    const drawn: DrawnFrame = { ...heat, geometry: g };
    this.drawOverlays(ctx, scene, drawn);
    this.last = drawn;
    return drawn;
  }

  private drawOverlays(ctx: CanvasRenderingContext2D, scene: HeatScene, d: DrawnFrame): void {
    const { geometry: g, layout, window } = d;
    const plot = g.plotCss;
    for (const p of scene.lines) this.drawPercentileLine(ctx, d, p);
    if (scene.range) drawRange(ctx, plot, window, scene.range);
    if (scene.cursor !== null) drawCursor(ctx, plot, window, scene.cursor);
    if (scene.hover) this.drawHover(ctx, d, scene.hover);
    ctx.strokeStyle = '#bbb';
    ctx.lineWidth = 1;
    ctx.strokeRect(plot.x - 0.5, plot.y - 0.5, plot.width + 1, plot.height + 1);
    drawTimeAxis(ctx, plot, window, scene.startMs, scene.utc);
    drawLatencyAxis(ctx, plot, layout, g.dpr, scene.unit);
    drawHealth(ctx, plot, window, scene.health);
  }

  /** A step line through the row holding percentile p of each column, with a white halo. */
  private drawPercentileLine(ctx: CanvasRenderingContext2D, d: DrawnFrame, p: number): void {
    const { frame, layout, geometry: g } = d;
    if (this.lineRows.length !== frame.columns) this.lineRows = new Int32Array(frame.columns);
    const rows = columnPercentiles(frame.counts, frame.totals, frame.rows, p, this.lineRows);
    const path = new Path2D();
    const yOf = (r: number) => g.plotCss.y + (layout.rowTop[r]! + layout.rowBottom[r]!) / 2 / g.dpr;
    const xOf = (c: number) => g.plotCss.x + c / g.dpr;
    // One horizontal segment per run of columns at the same row, joined by vertical steps.
    for (let c = 0; c < frame.columns;) {
      const r = rows[c]!;
      let end = c + 1;
      while (end < frame.columns && rows[end] === r) end++;
      if (r >= 0) {
        if (c > 0 && rows[c - 1]! >= 0) path.lineTo(xOf(c), yOf(r));
        else path.moveTo(xOf(c), yOf(r));
        path.lineTo(xOf(end), yOf(r));
      }
      c = end;
    }
    ctx.save();
    ctx.lineJoin = 'round';
    ctx.strokeStyle = 'rgba(255,255,255,0.85)';
    ctx.lineWidth = 3.5;
    ctx.stroke(path);
    ctx.strokeStyle = LINE_COLOURS[p] ?? '#000';
    ctx.lineWidth = 1.5;
    if (p !== 50) ctx.setLineDash([5, 3]);
    ctx.stroke(path);
    ctx.restore();
  }

  private drawHover(
    ctx: CanvasRenderingContext2D,
    d: DrawnFrame,
    hover: { column: number; run: number },
  ): void {
    const { frame, layout, geometry: g, window: w } = d;
    const run = layout.runs[hover.run];
    if (!run || hover.column < 0 || hover.column >= frame.columns) return;
    const x0 = g.plotCss.x + Math.max(0, timeToX(frame.from[hover.column]!, w, g.plotCss.width));
    const x1 =
      g.plotCss.x + Math.min(g.plotCss.width, timeToX(frame.to[hover.column]!, w, g.plotCss.width));
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 1;
    ctx.strokeRect(
      x0 - 0.5,
      g.plotCss.y + run.y0 / g.dpr - 0.5,
      Math.max(1, x1 - x0) + 1,
      (run.y1 - run.y0) / g.dpr + 1,
    );
  }

  private imageFor(ctx: CanvasRenderingContext2D, plot: Rect): ImageData {
    if (!this.image || this.image.width !== plot.width || this.image.height !== plot.height) {
      this.image = ctx.createImageData(plot.width, plot.height);
      this.pixels = new Uint32Array(this.image.data.buffer);
    }
    return this.image;
  }
}

function drawRange(
  ctx: CanvasRenderingContext2D,
  plot: Rect,
  w: ViewWindow,
  r: NonNullable<HeatScene['range']>,
): void {
  const x0 = plot.x + Math.max(0, timeToX(r.from, w, plot.width));
  const x1 = plot.x + Math.min(plot.width, timeToX(r.to, w, plot.width));
  if (x1 <= x0) return;
  const y0 = plot.y + (r.y0 ?? 0);
  const y1 = plot.y + (r.y1 ?? plot.height);
  ctx.fillStyle = 'rgba(30, 120, 255, 0.12)';
  ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
  ctx.strokeStyle = 'rgba(30, 120, 255, 0.9)';
  ctx.lineWidth = 1;
  ctx.strokeRect(x0 + 0.5, y0 + 0.5, x1 - x0 - 1, y1 - y0 - 1);
}

function drawCursor(ctx: CanvasRenderingContext2D, plot: Rect, w: ViewWindow, t: number): void {
  const x = plot.x + timeToX(t, w, plot.width);
  if (x < plot.x || x > plot.x + plot.width) return;
  ctx.fillStyle = '#e4572e';
  ctx.fillRect(Math.round(x) - 1, plot.y, 2, plot.height);
}
