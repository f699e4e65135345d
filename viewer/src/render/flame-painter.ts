// Paints a flame graph (an icicle: root on top) onto a canvas from its layout (model/flame-layout.ts),
// DPR-aware: sizes in CSS px, the backing store in device px. Colours: a warm hue per frame name
// (FlameGraph's look: the same name keeps its colour across boxes), kernel frames ("_[k]") in
// blue-grey so the user/kernel boundary shows; with a search, matches in magenta and the rest
// greyed; in a differential graph the diverging palette of Compare's heat map (RdBu).

import type { FlameNode } from '../model/flame-tree.js';
import type { FlameRect } from '../model/flame-layout.js';
import { divergingCss } from './diff-renderer.js';

/** Height of one row in CSS px. */
export const FLAME_ROW_PX = 17;
const FONT = '11px system-ui, sans-serif';
/** Average glyph width of FONT, to cut labels without measuring each one. */
const CHAR_PX = 6.2;
const MATCH = '#d63ad6';
const DIMMED = '#dddde2';

export interface FlameScene {
  rects: readonly FlameRect[];
  /** Graph width and height in CSS px. */
  width: number;
  height: number;
  dpr: number;
  /** Fill of each frame (see frameColour / diffColour). */
  colour: (node: FlameNode) => string;
  /** The frame with the keyboard focus, outlined. */
  focus: FlameNode | null;
  hover: FlameNode | null;
}

/** Sizes the canvas and paints every rectangle with its label. */
export function paintFlame(canvas: HTMLCanvasElement, s: FlameScene): void {
  const w = Math.max(1, Math.round(s.width * s.dpr));
  const h = Math.max(1, Math.round(s.height * s.dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.style.width = `${s.width}px`;
  canvas.style.height = `${s.height}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(s.dpr, 0, 0, s.dpr, 0, 0);
  ctx.clearRect(0, 0, s.width, s.height);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  for (const r of s.rects) paintRect(ctx, s, r);
}

function paintRect(ctx: CanvasRenderingContext2D, s: FlameScene, r: FlameRect): void {
  const x = r.x * s.width;
  const w = r.width * s.width;
  const y = r.row * FLAME_ROW_PX;
  ctx.fillStyle = s.colour(r.node);
  ctx.fillRect(x, y, Math.max(0.5, w - 0.5), FLAME_ROW_PX - 1);
  if (r.node === s.focus || r.node === s.hover) {
    ctx.strokeStyle = r.node === s.focus ? '#111' : '#555';
    ctx.lineWidth = r.node === s.focus ? 2 : 1;
    ctx.strokeRect(x + 1, y + 1, Math.max(1, w - 2), FLAME_ROW_PX - 3);
  }
  const chars = Math.floor((w - 6) / CHAR_PX);
  if (chars < 3) return;
  ctx.fillStyle = '#222';
  const name = r.node.name;
  ctx.fillText(
    name.length <= chars ? name : `${name.slice(0, chars - 1)}…`,
    x + 3,
    y + FLAME_ROW_PX / 2,
  );
}

/** Whether a frame is a kernel frame (FlameGraph's "_[k]" suffix, schemas/recording.sql). */
export function isKernelFrame(name: string): boolean {
  return name.endsWith('_[k]');
}

/**
 * A frame's fill in a one-sided graph: a warm hue from its name, blue-grey for kernel frames;
 * with a search (`matches` given), magenta for a match and grey for the rest.
 */
export function frameColour(node: FlameNode, matches: ((name: string) => boolean) | null): string {
  if (matches) return node.parent && matches(node.name) ? MATCH : DIMMED;
  const h = nameHash(node.name);
  if (!node.parent) return '#e8e8ec';
  if (isKernelFrame(node.name)) return `hsl(${200 + (h % 25)}, 35%, ${68 + (h % 12)}%)`;
  return `hsl(${8 + (h % 42)}, ${72 + (h % 20)}%, ${58 + ((h >> 8) % 12)}%)`;
}

/**
 * A frame's fill in a differential graph: its change in share (B's share − A's, -1..1) over the
 * largest change in the tree, on RdBu (red: more in B, blue: less); a search greys the rest.
 */
export function diffColour(delta: number, maxDelta: number, dimmed: boolean): string {
  if (dimmed) return DIMMED;
  return divergingCss(maxDelta > 0 ? Math.max(-1, Math.min(1, delta / maxDelta)) : 0);
}

/** A small stable hash of a name (FNV-1a), so a frame keeps its colour. */
function nameHash(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}
