// Wheel and pinch on the heat map as exact view changes: a plot 50 px from the canvas edge and
// 1000 px wide over a 600 s window.

import { describe, expect, it } from 'vitest';
import { anchorAt, pinchChange, wheelChange } from '../../../viewer/src/model/zoom-gestures.js';

const plot = { x: 50, width: 1000 };
const w = { start: 0, end: 600 };
const turn = (deltaX: number, deltaY: number, deltaMode = 0, shiftKey = false) => ({
  deltaX,
  deltaY,
  deltaMode,
  shiftKey,
});

describe('wheelChange', () => {
  it('zooms an upright turn about the pointer: down out, up in, a notch of 100 px ≈ 1.22x', () => {
    expect(wheelChange(turn(0, 100), 550, plot, w)).toEqual({
      kind: 'zoom',
      factor: Math.exp(0.2),
      anchor: 0.5,
    });
    expect(wheelChange(turn(0, -100), 50, plot, w)).toEqual({
      kind: 'zoom',
      factor: Math.exp(-0.2),
      anchor: 0,
    });
  });

  it('counts lines as 16 px and pages as 400 px', () => {
    expect(wheelChange(turn(0, 3, 1), 550, plot, w)).toMatchObject({
      factor: Math.exp(48 * 0.002),
    });
    expect(wheelChange(turn(0, 1, 2), 550, plot, w)).toMatchObject({
      factor: Math.exp(400 * 0.002),
    });
  });

  it('pans a sideways or shifted turn by its share of the plot width', () => {
    expect(wheelChange(turn(100, 10), 550, plot, w)).toEqual({ kind: 'pan', seconds: 60 });
    expect(wheelChange(turn(0, -50, 0, true), 550, plot, w)).toEqual({ kind: 'pan', seconds: -30 });
    expect(wheelChange(turn(-2, 0, 1), 550, plot, w)).toEqual({ kind: 'pan', seconds: -19.2 });
  });
});

describe('pinchChange', () => {
  it('zooms in as the fingers part, about their midpoint; nothing while they touch', () => {
    expect(pinchChange(100, { x: 250, y: 10 }, { x: 450, y: 10 }, plot)).toEqual({
      factor: 0.5,
      anchor: 0.3,
    });
    expect(pinchChange(100, { x: 300, y: 0 }, { x: 300, y: 50 }, plot)).toEqual({
      factor: 2,
      anchor: 0.25,
    });
    expect(pinchChange(100, { x: 300, y: 0 }, { x: 300.5, y: 0 }, plot)).toBeNull();
  });
});

describe('anchorAt', () => {
  it('is 0..1 across the plot, clamped outside it', () => {
    expect([anchorAt(50, plot), anchorAt(300, plot), anchorAt(1050, plot)]).toEqual([0, 0.25, 1]);
    expect([anchorAt(0, plot), anchorAt(2000, plot)]).toEqual([0, 1]);
  });
});
