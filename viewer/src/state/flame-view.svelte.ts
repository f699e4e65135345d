// What a flame graph shows of its tree: the frame zoomed into (click or Enter; Esc goes back out
// a level), the frame with the keyboard focus (arrows move it), the search and what it matches.
// A new tree (a new box) keeps the zoom when the same frame path is in it.

import { matchedCounts, nodeAt, pathOf, type FlameNode } from '../model/flame-tree.js';
import { layoutFlame, neighbour, type FlameRect } from '../model/flame-layout.js';

const KEYS: Record<string, 'up' | 'down' | 'left' | 'right'> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
};

export class FlameView {
  tree = $state.raw<FlameNode | null>(null);
  zoom = $state.raw<FlameNode | null>(null);
  focus = $state.raw<FlameNode | null>(null);
  search = $state('');
  /** The graph's width in CSS px (frames under half a pixel are not laid out). */
  width = $state(0);

  /** Case-insensitive substring match of the search, or null without one. */
  matcher = $derived.by<((name: string) => boolean) | null>(() => {
    const q = this.search.trim().toLowerCase();
    return q ? (name: string) => name.toLowerCase().includes(q) : null;
  });
  rects = $derived<FlameRect[]>(
    this.tree ? layoutFlame(this.zoom ?? this.tree, this.width > 0 ? 0.5 / this.width : 0) : [],
  );
  /** Events per side whose stack holds a matching frame (null without a search). */
  matched = $derived(this.tree && this.matcher ? matchedCounts(this.tree, this.matcher) : null);

  /** Shows a new tree, zoomed where the old one was when that frame path is in it. */
  setTree(tree: FlameNode | null): void {
    const path = this.zoom ? pathOf(this.zoom) : null;
    this.tree = tree;
    this.zoom = tree && path ? nodeAt(tree, path) : null;
    this.focus = null;
  }

  /** Shows the whole tree again. */
  resetZoom(): void {
    this.zoom = null;
  }

  zoomTo(node: FlameNode): void {
    this.zoom = node.parent ? node : null;
    this.focus = node;
  }

  /** Back out one level; false when not zoomed. */
  zoomOut(): boolean {
    if (!this.zoom) return false;
    this.focus = this.zoom;
    this.zoom = this.zoom.parent?.parent ? this.zoom.parent : null;
    return true;
  }

  /** Handles a key pressed on the graph; true when it was one of the graph's. */
  key(key: string): boolean {
    if (!this.tree) return false;
    const dir = KEYS[key];
    if (dir) {
      const from = this.focus ?? this.zoom ?? this.tree;
      this.focus = this.focus ? (neighbour(this.rects, from, dir) ?? from) : from;
      return true;
    }
    if (key === 'Enter' && this.focus) {
      this.zoomTo(this.focus);
      return true;
    }
    if (key === 'Escape') return this.zoomOut() || this.clearFocus();
    return false;
  }

  private clearFocus(): boolean {
    if (!this.focus) return false;
    this.focus = null;
    return true;
  }
}
