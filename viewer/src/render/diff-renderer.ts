// Draws the differential heat map: each cell's B − A (or log ratio) on a diverging palette
// (d3-scale-chromatic RdBu: red where B has more, blue where A has more, near-white where they
// agree, white where neither has events), over relative time (seconds into each side's window)
// and the common latency axis. Keeps the layout so hover and tests read the numbers behind pixels.

import { interpolateRdBu } from 'd3-scale-chromatic';
import type { Unit } from '../../../schemas/format.js';
import { AxisLayout } from '../model/axis-layout.js';
import type { AxisScale, BucketAxis } from '../model/bucket-axis.js';
import {
  diffValue,
  divergingPosition,
  type DiffFrame,
  type DiffMode,
} from '../model/diff-model.js';
import { formatRelative, timeTicks } from '../model/time-format.js';
import { drawLatencyAxis } from './axes-painter.js';
import { BACKGROUND_CSS, BACKGROUND_RGBA, packRgba, parseColour } from './palette.js';
import type { PlotGeometry } from './plot-geometry.js';

/** 256 packed colours from A-more (0) through equal (127.5) to B-more (255). */
export const DIVERGING_LUT: Uint32Array = Uint32Array.from({ length: 256 }, (_, i) =>
  packRgba(...parseColour(interpolateRdBu(1 - i / 255))),
);

/** The CSS colour of a diverging position (-1 .. 1), for the legend. */
export function divergingCss(position: number): string {
  return interpolateRdBu(0.5 - position / 2);
}

export interface DiffScene {
  diff: DiffFrame;
  axis: BucketAxis;
  unit: Unit;
  yScale: AxisScale;
  mode: DiffMode;
  /** Seconds each side's window spans. */
  span: number;
}

export class DiffRenderer {
  layout: AxisLayout | null = null;
  /** diffValue per (column, pixel run), column-major, as painted. */
  runValues = new Float64Array(0);

  constructor(private readonly canvas: HTMLCanvasElement) {}

  draw(scene: DiffScene, g: PlotGeometry): void {
    const ctx = this.canvas.getContext('2d')!;
    const plot = g.plotDevice;
    const layout = new AxisLayout(scene.axis, {
      scale: scene.yScale,
      height: plot.height,
      bandPx: 14 * g.dpr,
      gapPx: 3 * g.dpr,
    });
    const image = ctx.createImageData(plot.width, plot.height);
    this.paint(scene, layout, new Uint32Array(image.data.buffer), plot.width, plot.height);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = BACKGROUND_CSS;
    ctx.fillRect(0, 0, g.device.width, g.device.height);
    ctx.putImageData(image, plot.x, plot.y);
    ctx.setTransform(g.dpr, 0, 0, g.dpr, 0, 0);
    ctx.strokeStyle = '#bbb';
    ctx.lineWidth = 1;
    ctx.strokeRect(g.plotCss.x - 0.5, g.plotCss.y - 0.5, g.plotCss.width + 1, g.plotCss.height + 1);
    drawRelativeAxis(ctx, g, scene.span);
    drawLatencyAxis(ctx, g.plotCss, layout, g.dpr, scene.unit);
    this.layout = layout;
  }

  /** One device-pixel column per frame column (the frame is built at the plot's device width). */
  private paint(
    scene: DiffScene,
    layout: AxisLayout,
    pixels: Uint32Array,
    width: number,
    height: number,
  ): void {
    const { diff, mode } = scene;
    const runs = layout.runs;
    this.runValues = new Float64Array(diff.columns * runs.length);
    pixels.fill(BACKGROUND_RGBA, 0, width * height);
    for (let c = 0; c < Math.min(width, diff.columns); c++) {
      for (let k = 0; k < runs.length; k++) {
        let a = 0;
        let b = 0;
        for (const r of runs[k]!.rows) {
          a += diff.a[c * diff.rows + r]!;
          b += diff.b[c * diff.rows + r]!;
        }
        const v = diffValue(a, b, mode);
        this.runValues[c * runs.length + k] = v;
        if (Number.isNaN(v)) continue;
        const colour =
          DIVERGING_LUT[Math.round(((divergingPosition(v, diff.limit, mode) + 1) / 2) * 255)]!;
        for (let y = runs[k]!.y0; y < runs[k]!.y1; y++) pixels[y * width + c] = colour;
      }
    }
  }
}

function drawRelativeAxis(ctx: CanvasRenderingContext2D, g: PlotGeometry, span: number): void {
  const plot = g.plotCss;
  const bottom = plot.y + plot.height;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of timeTicks(0, span, Math.max(2, Math.floor(plot.width / 110)))) {
    const x = plot.x + (t / span) * plot.width;
    ctx.fillStyle = '#999';
    ctx.fillRect(Math.round(x), bottom, 1, 5);
    ctx.fillStyle = '#333';
    ctx.fillText(formatRelative(t), Math.min(x, plot.x + plot.width - 12), bottom + 12);
  }
}
