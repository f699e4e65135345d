import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  decodeViewHash,
  encodeViewHash,
} from '../../../viewer/src/model/view-hash.js';
import {
  clampWindow,
  fitAll,
  followEdge,
  jumpTo,
  MIN_SPAN_S,
  panWindow,
  timeToX,
  xToTime,
  zoomWindow,
} from '../../../viewer/src/model/view-window.js';

const rec = { t0: 0, end: 600 };

describe('view window moves', () => {
  it('zooms about the anchor, keeping the time under it in place', () => {
    expect(zoomWindow({ start: 200, end: 400 }, 0.5, 0.5, rec)).toEqual({ start: 250, end: 350 });
    expect(zoomWindow({ start: 200, end: 400 }, 0.5, 0.25, rec)).toEqual({ start: 225, end: 325 });
    expect(zoomWindow({ start: 200, end: 400 }, 2, 0.5, rec)).toEqual({ start: 100, end: 500 });
  });

  it('never zooms past the whole recording or below the narrowest window', () => {
    expect(zoomWindow({ start: 200, end: 400 }, 10, 0.5, rec)).toEqual({ start: 0, end: 600 });
    expect(zoomWindow({ start: 200, end: 210 }, 0.01, 0.5, rec)).toEqual({
      start: 203,
      end: 203 + MIN_SPAN_S,
    });
  });

  it('pans and jumps inside the recording', () => {
    expect(panWindow({ start: 200, end: 300 }, 50, rec)).toEqual({ start: 250, end: 350 });
    expect(panWindow({ start: 200, end: 300 }, -500, rec)).toEqual({ start: 0, end: 100 });
    expect(panWindow({ start: 200, end: 300 }, 500, rec)).toEqual({ start: 500, end: 600 });
    expect(jumpTo({ start: 200, end: 300 }, 'end', rec)).toEqual({ start: 500, end: 600 });
    expect(jumpTo({ start: 200, end: 300 }, 'start', rec)).toEqual({ start: 0, end: 100 });
    expect(fitAll(rec)).toEqual({ start: 0, end: 600 });
    expect(clampWindow({ start: -50, end: 50 }, rec)).toEqual({ start: 0, end: 100 });
  });

  it('follows the right edge as seconds are appended, and only then', () => {
    expect(followEdge({ start: 536, end: 600 }, 600, { t0: 0, end: 601 })).toEqual({
      start: 537,
      end: 601,
    });
    expect(followEdge({ start: 0, end: 600 }, 600, { t0: 0, end: 610 })).toEqual({
      start: 10,
      end: 610,
    });
    expect(followEdge({ start: 100, end: 164 }, 600, { t0: 0, end: 601 })).toEqual({
      start: 100,
      end: 164,
    });
  });

  it('converts time and x both ways', () => {
    expect(timeToX(250, { start: 200, end: 400 }, 1000)).toBe(250);
    expect(xToTime(250, { start: 200, end: 400 }, 1000)).toBe(250);
  });
});

describe('view hash', () => {
  it('round-trips every setting', () => {
    const s = {
      window: { start: 12.5, end: 99 },
      keys: 'only:3,7',
      yScale: 'linear' as const,
      colour: 'rank' as const,
      clamp: 500,
      share: true,
      palette: 'magma',
      lines: [99],
    };
    const hash = encodeViewHash(s);
    expect(hash).toBe('t=12.5-99&k=only:3,7&y=linear&c=rank&clamp=500&share=1&pal=magma&pl=99');
    expect(decodeViewHash(`#${hash}`)).toEqual(s);
  });

  it('leaves defaults out, and reads junk as defaults', () => {
    expect(encodeViewHash(DEFAULT_SETTINGS)).toBe('');
    expect(decodeViewHash('#t=9-3&c=sparkly&clamp=-1&pl=none')).toEqual({
      ...DEFAULT_SETTINGS,
      lines: [],
    });
  });
});
