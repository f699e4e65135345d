// Where each frame of a flame graph goes, as an icicle: the root on top, callees below their
// caller. Zoomed into a frame, that frame spans the whole width and its callers above it do too
// (so the way back stays in view). Positions are fractions of the width; rows are depths.
// Frames narrower than `minWidth` are left out with everything below them: sub-pixel slivers
// cost paint time and cannot be hovered.

import type { FlameNode } from './flame-tree.js';

export interface FlameRect {
  node: FlameNode;
  /** Left edge and width, 0..1 of the graph's width. */
  x: number;
  width: number;
  /** Row from the top: the node's depth. */
  row: number;
}

/** The rectangles of a tree zoomed into `zoom` (the root for no zoom). */
export function layoutFlame(zoom: FlameNode, minWidth = 0): FlameRect[] {
  const rects: FlameRect[] = [];
  for (let n = zoom.parent; n; n = n.parent) rects.push({ node: n, x: 0, width: 1, row: n.depth });
  rects.reverse();
  const place = (node: FlameNode, x: number, width: number) => {
    rects.push({ node, x, width, row: node.depth });
    let at = x;
    for (const child of node.children) {
      const w = node.value > 0 ? (child.value / node.value) * width : 0;
      if (w >= minWidth && w > 0) place(child, at, w);
      at += w;
    }
  };
  place(zoom, 0, 1);
  return rects;
}

/** Rows the layout needs (deepest row + 1). */
export function rowsOf(rects: readonly FlameRect[]): number {
  let rows = 0;
  for (const r of rects) rows = Math.max(rows, r.row + 1);
  return rows;
}

/** The rectangle at a fraction x across and a row, or null. */
export function rectAt(rects: readonly FlameRect[], x: number, row: number): FlameRect | null {
  for (const r of rects) if (r.row === row && x >= r.x && x < r.x + r.width) return r;
  return null;
}

/**
 * The node keyboard navigation moves to from `node`: up to the caller, down to the widest
 * callee, left/right to the neighbour on the same row (the caller's other callees first).
 */
export function neighbour(
  rects: readonly FlameRect[],
  node: FlameNode,
  key: 'up' | 'down' | 'left' | 'right',
): FlameNode | null {
  if (key === 'up') return node.parent;
  if (key === 'down')
    return node.children.reduce<FlameNode | null>(
      (w, c) => (!w || c.value > w.value ? c : w),
      null,
    );
  const row = rects.filter((r) => r.row === node.depth).sort((a, b) => a.x - b.x);
  const i = row.findIndex((r) => r.node === node);
  if (i < 0) return null;
  return row[key === 'left' ? i - 1 : i + 1]?.node ?? null;
}
