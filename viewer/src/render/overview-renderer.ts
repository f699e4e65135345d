// The overview strip: the whole recording, small, painted with the same cells as the main map.
// It is repainted only when what it shows changes (keys, scales, palette, size), never while
// the window is dragged; the window itself is a DOM element on top.

import { AxisLayout } from '../model/axis-layout.js';
import type { AxisScale, BucketAxis } from '../model/bucket-axis.js';
import type { ColourScaleSpec } from '../model/colour-scale.js';
import { buildColumnFrame, type FrameSource } from '../model/column-frame.js';
import type { TimeBounds } from '../model/view-window.js';
import { paintHeat } from './heatmap-painter.js';
import { palette, type PaletteName } from './palette.js';

export interface OverviewScene {
  counts: FrameSource & { end: number; version?: number };
  axis: BucketAxis;
  bounds: TimeBounds;
  yScale: AxisScale;
  colour: ColourScaleSpec;
  palette: PaletteName;
}

export class OverviewRenderer {
  private drawnFor: unknown[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** Paints the strip at widthCss x heightCss, unless it already shows exactly this. */
  draw(scene: OverviewScene, widthCss: number, heightCss: number, dpr: number): void {
    const width = Math.max(1, Math.round(widthCss * dpr));
    const height = Math.max(1, Math.round(heightCss * dpr));
    const key = [
      scene.counts,
      scene.counts.end,
      scene.counts.version,
      scene.axis,
      scene.yScale,
      scene.colour.kind,
      scene.colour.clamp,
      scene.palette,
      width,
      height,
    ];
    if (key.every((k, i) => k === this.drawnFor[i])) return;
    this.drawnFor = key;
    this.canvas.width = width;
    this.canvas.height = height;
    const layout = new AxisLayout(scene.axis, {
      scale: scene.yScale,
      height,
      bandPx: 3 * dpr,
      gapPx: dpr,
    });
    const frame = buildColumnFrame(
      scene.counts.gridFor(scene.bounds.t0, scene.bounds.end, width),
      scene.bounds.t0,
      scene.bounds.end,
      width,
    );
    const ctx = this.canvas.getContext('2d')!;
    const image = ctx.createImageData(width, height);
    paintHeat({
      frame,
      runs: layout.runs,
      colour: scene.colour,
      share: false,
      lut: palette(scene.palette).lut,
      pixels: new Uint32Array(image.data.buffer),
      height,
    });
    ctx.putImageData(image, 0, 0);
  }
}
