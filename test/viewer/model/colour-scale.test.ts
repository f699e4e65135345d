import { describe, expect, it } from 'vitest';
import {
  fitColourScale,
  legendTicks,
  linearScale,
  logScale,
  rankScale,
} from '../../../viewer/src/model/colour-scale.js';
import { DEFAULT_SETTINGS } from '../../../viewer/src/model/view-hash.js';
import {
  BACKGROUND_RGBA,
  PALETTES,
  palette,
  paletteIndex,
  unpackRgba,
} from '../../../viewer/src/render/palette.js';

describe('log colour scale', () => {
  const scale = logScale(1, 1000);

  it('spaces equal ratios equally: 1, 10, 100, 1000 at 0, 1/3, 2/3, 1', () => {
    const positions = [1, 10, 100, 1000].map((v) => scale.position(v));
    [0, 1 / 3, 2 / 3, 1].forEach((p, i) => expect(positions[i]).toBeCloseTo(p, 15));
    expect(positions.map(paletteIndex)).toEqual([0, 85, 170, 255]);
  });

  it('has no colour for 0 and caps values above the top', () => {
    expect(scale.position(0)).toBe(-1);
    expect(scale.position(5000)).toBe(1);
    expect(scale.valueAt(0.5)).toBeCloseTo(Math.sqrt(1000), 9);
  });
});

describe('fitColourScale', () => {
  const values = Float64Array.from([0, 1, 10, 1000, 0, 3]);

  it('spans the smallest to the largest non-zero value on screen', () => {
    const scale = fitColourScale(values, { kind: 'log', clamp: null });
    expect([scale.lo, scale.hi]).toEqual([1, 1000]);
  });

  it('caps the top at the clamp, so the rest of the range gets the colours', () => {
    const scale = fitColourScale(values, { kind: 'log', clamp: 100 });
    expect([scale.lo, scale.hi]).toEqual([1, 100]);
    expect(scale.position(10)).toBe(0.5);
    expect(scale.position(1000)).toBe(1);
  });

  it('linear: proportional to the count, a single event still coloured', () => {
    const scale = fitColourScale(values, { kind: 'linear', clamp: null });
    expect(scale.position(500)).toBe(0.5);
    expect(scale.position(1)).toBe(0.001);
    expect(paletteIndex(scale.position(1))).toBe(0);
    expect(scale.position(0)).toBe(-1);
  });

  it('rank: the distinct values on screen spread evenly', () => {
    const scale = fitColourScale(Float64Array.from([0, 5, 5, 7, 100, 3]), {
      kind: 'rank',
      clamp: null,
    });
    expect([3, 5, 7, 100].map((v) => scale.position(v))).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(scale.valueAt(1 / 3)).toBe(5);
  });

  it('rank with a clamp: values above it share the top', () => {
    const scale = rankScale(Float64Array.from([5, 3, 7, 100]), 3, 7);
    expect([3, 5, 7, 100].map((v) => scale.position(v))).toEqual([0, 0.5, 1, 1]);
  });

  it('an empty screen gives a scale that colours nothing', () => {
    const scale = fitColourScale(new Float64Array(4), { kind: 'log', clamp: null });
    expect(scale.position(0)).toBe(-1);
  });
});

describe('legendTicks', () => {
  it('labels a log scale at its ends and every decade between', () => {
    expect(legendTicks(logScale(3, 2000))).toEqual([
      { value: 3, position: 0 },
      { value: 10, position: Math.log(10 / 3) / Math.log(2000 / 3) },
      { value: 100, position: Math.log(100 / 3) / Math.log(2000 / 3) },
      { value: 1000, position: Math.log(1000 / 3) / Math.log(2000 / 3) },
      { value: 2000, position: 1 },
    ]);
  });

  it('drops labels that would crowd a kept one, never the ends', () => {
    expect(legendTicks(logScale(1, 2402), 5, 0.16).map((t) => t.value)).toEqual([1, 10, 100, 2402]);
    expect(legendTicks(logScale(1, 1000), 5, 0.16).map((t) => t.value)).toEqual([1, 10, 100, 1000]);
  });

  it('labels a linear scale at 0, even steps and the top', () => {
    expect(legendTicks(linearScale(1, 400)).map((t) => [t.value, t.position])).toEqual([
      [0, 0],
      [100, 0.25],
      [200, 0.5],
      [300, 0.75],
      [400, 1],
    ]);
  });
});

describe('palettes', () => {
  it('never paint the fewest events (a count of 1) close to the background', () => {
    const [br, bg, bb] = unpackRgba(BACKGROUND_RGBA);
    for (const name of PALETTES) {
      const [r, g, b] = unpackRgba(palette(name).lut[0]!);
      expect(Math.abs(r - br) + Math.abs(g - bg) + Math.abs(b - bb), name).toBeGreaterThan(60);
    }
  });

  it('starts on YlOrRd: pale yellow for the fewest events, dark red for the most (as Gregg and Grafana do)', () => {
    expect(DEFAULT_SETTINGS.palette).toBe('ylorrd');
    const p = palette('ylorrd');
    expect(p.css[0]).toBe('rgb(255, 233, 152)');
    expect(p.css[255]).toBe('rgb(128, 0, 38)');
    const lightness = (i: number) => unpackRgba(p.lut[i]!).reduce((a, b) => a + b, 0);
    for (let i = 1; i < 256; i++)
      expect(lightness(i), `step ${i}`).toBeLessThanOrEqual(lightness(i - 1));
  });

  it('runs from the light end to the dark end of viridis', () => {
    const p = palette('viridis');
    expect(p.css[0]).toBe('rgb(253, 231, 37)');
    expect(p.css[255]).toBe('rgb(68, 1, 84)');
  });
});
