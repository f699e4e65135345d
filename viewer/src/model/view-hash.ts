// The view in the URL hash, so a copied link reopens the same view of the same file:
// #t=120-780&k=only:3,7&y=log&c=rank&clamp=500&share=1&pal=magma&pl=50,99
// Keys are stored by series id (stable within a file); anything unreadable falls back to the
// default for that setting.

import type { AxisScale } from './bucket-axis.js';
import { COLOUR_SCALES, type ColourScaleKind } from './colour-scale.js';
import type { ViewWindow } from './view-window.js';

export interface ViewSettings {
  /** null: the whole recording. */
  window: ViewWindow | null;
  /** Key selection in its hash form ("all", "only:3", "except:1,2"). */
  keys: string;
  /** null: the recording's default (log for power-of-two buckets). */
  yScale: AxisScale | null;
  colour: ColourScaleKind;
  clamp: number | null;
  share: boolean;
  palette: string;
  /** Percentile lines drawn over the map. */
  lines: number[];
}

export const DEFAULT_SETTINGS: ViewSettings = {
  window: null,
  keys: 'all',
  yScale: null,
  colour: 'log',
  clamp: null,
  share: false,
  palette: 'ylorrd',
  lines: [50, 99],
};

/** Settings -> hash text (without '#'); defaults are left out. */
export function encodeViewHash(s: ViewSettings): string {
  const p = new URLSearchParams();
  if (s.window) p.set('t', `${round3(s.window.start)}-${round3(s.window.end)}`);
  if (s.keys !== 'all') p.set('k', s.keys);
  if (s.yScale) p.set('y', s.yScale);
  if (s.colour !== DEFAULT_SETTINGS.colour) p.set('c', s.colour);
  if (s.clamp !== null) p.set('clamp', String(s.clamp));
  if (s.share) p.set('share', '1');
  if (s.palette !== DEFAULT_SETTINGS.palette) p.set('pal', s.palette);
  if (s.lines.join(',') !== DEFAULT_SETTINGS.lines.join(','))
    p.set('pl', s.lines.join(',') || 'none');
  return p.toString().replace(/%3A/g, ':').replace(/%2C/g, ',');
}

/** Hash text (with or without '#') -> settings. */
export function decodeViewHash(hash: string): ViewSettings {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const colour = p.get('c') as ColourScaleKind | null;
  const clamp = Number(p.get('clamp'));
  const y = p.get('y');
  return {
    window: parseWindow(p.get('t')),
    keys: p.get('k') ?? 'all',
    yScale: y === 'log' || y === 'linear' ? y : null,
    colour: colour && COLOUR_SCALES.includes(colour) ? colour : DEFAULT_SETTINGS.colour,
    clamp: p.has('clamp') && clamp > 0 ? clamp : null,
    share: p.get('share') === '1',
    palette: p.get('pal') ?? DEFAULT_SETTINGS.palette,
    lines: parseLines(p.get('pl')),
  };
}

function parseWindow(text: string | null): ViewWindow | null {
  const m = /^(-?[\d.]+)-(-?[\d.]+)$/.exec(text ?? '');
  if (!m) return null;
  const start = Number(m[1]);
  const end = Number(m[2]);
  return Number.isFinite(start) && Number.isFinite(end) && end > start ? { start, end } : null;
}

function parseLines(text: string | null): number[] {
  if (text === null) return DEFAULT_SETTINGS.lines;
  if (text === 'none') return [];
  return text
    .split(',')
    .map(Number)
    .filter((p) => p > 0 && p <= 100);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
