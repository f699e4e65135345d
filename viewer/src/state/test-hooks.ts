// Stable hooks for the browser tests and the benchmark, on window.__heatViewer: the current view
// window, the open-to-paint timing, a synchronous redraw to time frames, and the raw sql.js scan
// the benchmark compares against. Nothing in the app depends on them.

import { warmedUp } from './warm-up.js';
import { sqlEngine } from '../load/sql-engine.js';
import { scanHist } from '../load/sqljs-source.js';
import type { ViewerState } from './viewer-state.svelte.js';

export interface HeatViewerHooks {
  /** The visible window in seconds since the recording's start. */
  view(): { start: number; end: number; t0: number; end_: number } | null;
  /** ms from the bytes being in hand to the first frame painted, per recording opened. */
  openToPaintMs: number[];
  /** Draws a frame now and returns how long it took (ms). Set by the heat map. */
  drawNow: (() => number) | null;
  /** Pans/zooms the view (what arrow keys and the wheel do). */
  pan(fraction: number): void;
  zoom(factor: number, anchor?: number): void;
  /** Settles once the SQLite engine is loaded and primed (or priming was skipped). */
  ready(): Promise<void>;
  /** Opens bytes with sql.js and steps every row of SELECT * FROM hist; returns ms and rows. */
  rawScan(bytes: Uint8Array): Promise<{ ms: number; rows: number }>;
}

declare global {
  interface Window {
    __heatViewer?: HeatViewerHooks;
  }
}

export function installTestHooks(viewer: ViewerState): HeatViewerHooks {
  const hooks: HeatViewerHooks = {
    view: () => (viewer.recording ? { start: viewer.window.start, end: viewer.window.end, t0: viewer.recording.t0, end_: viewer.recording.end } : null),
    openToPaintMs: [],
    drawNow: null,
    pan: (fraction) => viewer.panBy(fraction),
    zoom: (factor, anchor = 0.5) => viewer.zoom(factor, anchor),
    ready: async () => {
      await sqlEngine();
      await warmedUp;
    },
    rawScan: async (bytes) => {
      const sql = await sqlEngine();
      const t = performance.now();
      const db = new sql.Database(bytes);
      const rows = scanHist(db);
      const ms = performance.now() - t;
      db.close();
      return { ms, rows };
    },
  };
  window.__heatViewer = hooks;
  return hooks;
}
