// Opening to first whole paint (PaintTiming): one time per recording opened, taken at its first
// frame painted whole (not at a frame still waiting for counts), nothing for a failed open.

import { describe, expect, it } from 'vitest';
import { PaintTiming } from '../../../viewer/src/state/paint-timing.js';

describe('PaintTiming', () => {
  it('records one open-to-paint time per recording, at its first whole frame', () => {
    const timing = new PaintTiming();
    expect(timing.awaitingFirstPaint).toBe(false);
    timing.opening();
    expect(timing.awaitingFirstPaint).toBe(true);
    timing.bytesInHand();
    timing.drawing();
    timing.painted(false); // some counts still being read: not yet
    expect(timing.openToPaintMs).toEqual([]);
    timing.painted(true);
    timing.painted(true); // later frames are not timed
    expect(timing.openToPaintMs).toHaveLength(1);
    expect(timing.bytesToPaintMs).toHaveLength(1);
    expect(timing.bytesToPaintMs[0]!).toBeLessThanOrEqual(timing.openToPaintMs[0]!);
    expect(timing.awaitingFirstPaint).toBe(false);
    expect(performance.getEntriesByName('heat:painted')).toHaveLength(1);
  });

  it('records nothing for an open that failed, then times the next one', () => {
    const timing = new PaintTiming();
    timing.opening();
    timing.failed();
    expect(timing.awaitingFirstPaint).toBe(false);
    timing.painted(true);
    expect(timing.openToPaintMs).toEqual([]);
    timing.opening();
    timing.painted(true);
    expect(timing.openToPaintMs).toHaveLength(1);
  });
});
