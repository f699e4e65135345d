// Colour palettes from d3-scale-chromatic (colour-blind safe: each runs one way in lightness), as
// 256-entry lookup tables of packed RGBA for ImageData. On the white background the light end shows
// the fewest events and the dark end the most; each palette's light end is cut where it would fade
// into the background, so a count of 1 never looks like 0.
// The default (DEFAULT_SETTINGS in view-hash.ts) is ColorBrewer's YlOrRd, as in Gregg's latency heat maps and Grafana's heatmap panel
// (Oranges): a rare cell is pale and quiet, the dense band dark and saturated, so the eye goes to
// where the events are. Viridis and its kin stay for more distinct steps, but their light end is a
// bright yellow that makes the rarest cells the loudest.

import {
  interpolateBlues,
  interpolateCividis,
  interpolateInferno,
  interpolateMagma,
  interpolateOranges,
  interpolatePlasma,
  interpolateViridis,
  interpolateYlOrRd,
} from 'd3-scale-chromatic';

export type PaletteName =
  'ylorrd' | 'oranges' | 'blues' | 'viridis' | 'inferno' | 'magma' | 'plasma' | 'cividis';

export const PALETTES: readonly PaletteName[] = [
  'ylorrd',
  'oranges',
  'blues',
  'viridis',
  'inferno',
  'magma',
  'plasma',
  'cividis',
];

/** Interpolator and the t (0..1) of its light and dark ends. */
const SOURCES: Record<PaletteName, { at: (t: number) => string; light: number; dark: number }> = {
  ylorrd: { at: interpolateYlOrRd, light: 0.15, dark: 1 },
  oranges: { at: interpolateOranges, light: 0.18, dark: 1 },
  blues: { at: interpolateBlues, light: 0.18, dark: 1 },
  viridis: { at: interpolateViridis, light: 1, dark: 0 },
  inferno: { at: interpolateInferno, light: 0.88, dark: 0.05 },
  magma: { at: interpolateMagma, light: 0.85, dark: 0.05 },
  plasma: { at: interpolatePlasma, light: 0.95, dark: 0 },
  cividis: { at: interpolateCividis, light: 1, dark: 0 },
};

/** The plot background (no events) and the hatching of missed seconds, as CSS and packed RGBA. */
export const BACKGROUND_CSS = '#ffffff';
export const BACKGROUND_RGBA = packRgba(255, 255, 255);
export const MISSED_RGBA: readonly [number, number] = [
  packRgba(0xd4, 0xd4, 0xda),
  packRgba(0xf0, 0xf0, 0xf3),
];

export interface Palette {
  name: PaletteName;
  /** 256 packed RGBA colours, index 0 = fewest events. */
  lut: Uint32Array;
  /** The same colours as CSS strings (legend, lines). */
  css: string[];
}

const cache = new Map<PaletteName, Palette>();

export function palette(name: PaletteName): Palette {
  let p = cache.get(name);
  if (!p) {
    p = buildPalette(name);
    cache.set(name, p);
  }
  return p;
}

function buildPalette(name: PaletteName): Palette {
  const { at, light, dark } = SOURCES[name];
  const lut = new Uint32Array(256);
  const css: string[] = [];
  for (let i = 0; i < 256; i++) {
    const [r, g, b] = parseColour(at(light + ((dark - light) * i) / 255));
    lut[i] = packRgba(r, g, b);
    css.push(`rgb(${r}, ${g}, ${b})`);
  }
  return { name, lut, css };
}

/** Packs an opaque colour for a little-endian Uint32 view of ImageData (bytes R, G, B, A). */
export function packRgba(r: number, g: number, b: number): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

export function unpackRgba(c: number): [number, number, number] {
  return [c & 255, (c >>> 8) & 255, (c >>> 16) & 255];
}

/** "#440154" or "rgb(68, 1, 84)" -> [68, 1, 84]. */
export function parseColour(s: string): [number, number, number] {
  if (s.startsWith('#'))
    return [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16)) as [number, number, number];
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(s);
  if (!m) throw new Error(`unexpected colour ${s}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Index 0..255 of a colour-scale position 0..1. */
export function paletteIndex(position: number): number {
  return Math.round(position * 255);
}
