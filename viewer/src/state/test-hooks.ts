// Stable hooks for the browser tests and the benchmark, on window.__heatViewer: the current view
// window, the open-to-paint timing, a synchronous redraw to time frames, the raw sql.js scan
// the benchmark compares against, and for live mode when each second was first painted and
// what the model holds per second. Nothing in the app depends on them.

import { warmedUp } from './warm-up.js';
import { sqlEngine } from '../load/sql-engine.js';
import { scanHist } from '../load/sqljs-source.js';
import { scanStackHist } from '../load/stack-rows.js';
import type { ViewerState } from './viewer-state.svelte.js';
import type { LiveCounts } from '../load/live-source.js';
import { ALL_KEYS } from '../model/key-selection.js';

export interface HeatViewerHooks {
  /** The visible window in seconds since the recording's start. */
  view(): { start: number; end: number; t0: number; recordingEnd: number } | null;
  /** ms from opening a file (picked, dropped, a URL) to its first frame painted whole, per recording opened. */
  openToPaintMs: number[];
  /** ms from the whole file's bytes being in hand (or, read in parts, from opening) to that frame. */
  bytesToPaintMs: number[];
  /** ms from releasing a select drag to the flame graph of its stacks painted, per box. */
  boxToFlameMs: number[];
  /** Called by the stacks panel when the flame graph of the current box is painted. */
  noteFlamePainted(): void;
  /** Draws a frame now and returns how long it took (ms). Set by the heat map. */
  drawNow: (() => number) | null;
  /** Pans/zooms the view (what arrow keys and the wheel do). */
  pan(fraction: number): void;
  zoom(factor: number, anchor?: number): void;
  /** Settles once the SQLite engine is loaded and primed (or priming was skipped). */
  ready(): Promise<void>;
  /** Opens bytes with sql.js and steps every row of SELECT * FROM hist; returns ms and rows. */
  rawScan(bytes: Uint8Array): Promise<{ ms: number; rows: number }>;
  /** Opens bytes with sql.js and steps every row of SELECT * FROM stack_hist; returns ms and rows. */
  rawStackScan(bytes: Uint8Array): Promise<{ ms: number; rows: number }>;
  /** Date.now() of the first frame whose right edge showed second t, for seconds that arrived live. */
  paintedAt: Record<number, number>;
  /** Called by the heat map after each frame. */
  notePainted(windowEnd: number, recordingEnd: number): void;
  /** [t, events over all keys] of every recorded second, as the model holds them. */
  secondTotals(): [number, number][];
  /** Files at least this large are opened in parts (0: every file). */
  openInPartsFrom(bytes: number): void;
  /** Bytes of the open recording's file held in memory; null when it is held whole. */
  heldBytes(): number | null;
  /** What the live stream passed on and dropped; null when not live. Set by the page. */
  live: (() => LiveCounts | null) | null;
}

declare global {
  interface Window {
    __heatViewer?: HeatViewerHooks;
  }
}

export function installTestHooks(viewer: ViewerState): HeatViewerHooks {
  /** The newest second painted so far (seconds at open are not timed). */
  let noted: number | null = null;
  const hooks: HeatViewerHooks = {
    view: () =>
      viewer.recording
        ? {
            start: viewer.window.start,
            end: viewer.window.end,
            t0: viewer.recording.t0,
            recordingEnd: viewer.recording.end,
          }
        : null,
    openToPaintMs: viewer.timing.openToPaintMs,
    bytesToPaintMs: viewer.timing.bytesToPaintMs,
    drawNow: null,
    boxToFlameMs: [],
    noteFlamePainted: () => {
      if (viewer.releasedAt === null) return;
      hooks.boxToFlameMs.push(performance.now() - viewer.releasedAt);
      viewer.releasedAt = null;
    },
    pan: (fraction) => viewer.panBy(fraction),
    openInPartsFrom: (bytes) => (viewer.inPartsFrom = bytes),
    heldBytes: () => viewer.recording?.heldBytes ?? null,
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
    rawStackScan: async (bytes) => {
      const sql = await sqlEngine();
      const t = performance.now();
      const db = new sql.Database(bytes);
      const rows = scanStackHist(db);
      const ms = performance.now() - t;
      db.close();
      return { ms, rows };
    },
    paintedAt: {},
    notePainted: (windowEnd, recordingEnd) => {
      const newest = Math.min(recordingEnd, Math.ceil(windowEnd)) - 1;
      if (noted === null) {
        noted = newest; // the seconds of the file as opened are not timed
        return;
      }
      const now = Date.now();
      for (let t = noted + 1; t <= newest; t++) hooks.paintedAt[t] = now;
      noted = Math.max(noted, newest);
    },
    secondTotals: () => {
      const rec = viewer.recording;
      if (!rec) return [];
      const grid = rec.grid(ALL_KEYS);
      const out: [number, number][] = [];
      for (let t = rec.t0; t < rec.end; t++)
        if (rec.isRecorded(t)) out.push([t, grid.total(t, t + 1)]);
      return out;
    },
    live: null,
  };
  window.__heatViewer = hooks;
  return hooks;
}
