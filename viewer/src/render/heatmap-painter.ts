// Paints the heat map's cells into a packed-RGBA pixel buffer (a Uint32 view of ImageData):
// one device-pixel column per frame column, one colour per pixel run. No canvas calls here, so
// it is the same code in the browser and in the unit tests.

import { ColumnState, type ColumnFrame } from '../model/column-frame.js';
import type { PixelRun } from '../model/axis-layout.js';
import { fitColourScale, type ColourScale, type ColourScaleSpec } from '../model/colour-scale.js';
import { sumRuns } from '../model/heat-frame.js';
import { BACKGROUND_RGBA, MISSED_RGBA, paletteIndex } from './palette.js';

export interface HeatPaintInput {
  frame: ColumnFrame;
  runs: readonly PixelRun[];
  colour: ColourScaleSpec;
  /** Colour by share of the column's events instead of by count. @default false */
  share: boolean;
  lut: Uint32Array;
  /** width x height pixels, row-major; width must equal frame.columns. */
  pixels: Uint32Array;
  height: number;
  /** A buffer to reuse for the run values (columns x runs), to spare the garbage collector. */
  scratch?: Float64Array;
}

/** The value painted in each (column, run), and the colour scale fitted to them. */
export interface HeatPaintResult {
  scale: ColourScale;
  runValues: Float64Array;
}

/** Sums, fits and paints in one go (the overview: it shows no legend and no hover). */
export function paintHeat(input: HeatPaintInput): HeatPaintResult {
  const runValues = sumRuns(input.frame, input.runs, input.share, input.scratch);
  const scale = fitColourScale(runValues, input.colour);
  paintRuns({ ...input, runValues, scale });
  return { scale, runValues };
}

/** Paints values already summed per run and a scale already fitted (see heat-frame.ts). */
export function paintRuns(input: {
  frame: ColumnFrame;
  runs: readonly PixelRun[];
  runValues: Float64Array;
  scale: ColourScale;
  lut: Uint32Array;
  pixels: Uint32Array;
  height: number;
}): void {
  const { frame, runs, runValues, scale, lut, pixels, height } = input;
  const width = frame.columns;
  pixels.fill(BACKGROUND_RGBA, 0, width * height);
  // Row-major: one row of colours per run, copied to each pixel row the run covers. Writing
  // column by column would touch a new cache line at every pixel.
  const row = new Uint32Array(width);
  for (let k = 0; k < runs.length; k++) {
    for (let c = 0; c < width; c++) {
      const position =
        frame.state[c] === ColumnState.Recorded
          ? scale.position(runValues[c * runs.length + k]!)
          : -1;
      row[c] = position < 0 ? BACKGROUND_RGBA : lut[paletteIndex(position)]!;
    }
    const run = runs[k]!;
    for (let y = run.y0; y < run.y1; y++) pixels.set(row, y * width);
  }
  for (let c = 0; c < width; c++)
    if (frame.state[c] === ColumnState.Missed) hatchColumn(pixels, width, height, c);
}

/** Diagonal grey stripes: a missed second must not look like a quiet one. */
function hatchColumn(pixels: Uint32Array, width: number, height: number, c: number): void {
  for (let y = 0, i = c; y < height; y++, i += width)
    pixels[i] = MISSED_RGBA[(c + y) % 6 < 2 ? 0 : 1]!;
}
