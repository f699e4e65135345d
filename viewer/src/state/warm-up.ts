// Primes the SQLite engine and the viewer's own code paths on a tiny recording built in memory,
// while the page waits for a file: open it, build its grids, and draw it on a canvas that is
// never shown. WebAssembly and JavaScript are compiled lazily, function by function, and canvas
// text needs its fonts; doing all that first here lets the real recording open at full speed.

import { openRecording } from '../load/open-recording.js';
import type { SqlEngine } from '../load/sql-engine.js';
import { warmUpRecording } from '../load/warm-up-recording.js';
import { computeHeatFrame, type HeatFrame } from '../model/heat-frame.js';
import { ALL_KEYS } from '../model/key-selection.js';
import { HeatmapRenderer } from '../render/heatmap-renderer.js';
import { plotGeometry } from '../render/plot-geometry.js';

const SECONDS = 130;
const KEYS = 3;

let wanted = true;
let done: () => void = () => undefined;

/** Settles when the warm-up has run, been skipped or failed (for the benchmark). */
export const warmedUp = new Promise<void>((resolve) => (done = resolve));

/** A real recording is being opened: a warm-up not yet started would only delay it. */
export function cancelWarmUp(): void {
  wanted = false;
}

/** Opens, reads and paints a small made-up recording once. Safe to call and forget. */
export async function warmUp(engine: SqlEngine): Promise<void> {
  try {
    if (wanted) await primeOnTinyRecording(engine);
  } finally {
    done();
  }
}

async function primeOnTinyRecording(engine: SqlEngine): Promise<void> {
  const recording = await openRecording(warmUpRecording(engine, SECONDS, KEYS), 'warm-up', engine);
  const counts = recording.counts(ALL_KEYS);
  recording.grid(ALL_KEYS);
  recording.keyTotals();
  recording.seriesCounts(5, 125, recording.seriesIds);
  recording.counts({ mode: 'only', ids: [1] }).gridFor(0, SECONDS, 100);
  const canvas = document.createElement('canvas');
  const renderer = new HeatmapRenderer(canvas);
  let previous: HeatFrame | null = null;
  for (const [width, start] of [
    [1200, 0],
    [1180, 7],
    [1300, 3],
    [1250, 11],
    [1200, 0],
    [1180, 7],
  ] as const) {
    const g = plotGeometry(width, 300, 1);
    canvas.width = g.device.width;
    canvas.height = g.device.height;
    const heat = computeHeatFrame(
      {
        counts,
        axis: recording.axis,
        yScale: 'log',
        window: { start, end: SECONDS },
        width: g.plotDevice.width,
        height: g.plotDevice.height,
        dpr: g.dpr,
        colour: { kind: 'log', clamp: null },
        share: false,
      },
      previous,
    );
    const scene = { unit: 'us', startMs: 0, health: [], palette: 'ylorrd' } as const;
    renderer.draw(
      heat,
      { ...scene, lines: [50, 99], cursor: 60, range: null, hover: null, utc: false },
      g,
    );
    previous = heat;
  }
}
