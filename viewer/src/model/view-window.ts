// The visible span of time, in seconds since the recording's start (fractions allowed), and the
// moves on it: zoom about a point, pan, fit, jump, and following the right edge as seconds are
// appended. Every move keeps the window inside the recording and at least MIN_SPAN_S wide.

export interface ViewWindow {
  start: number;
  end: number;
}

/** The recording's extent: its first second and the second after its last. */
export interface TimeBounds {
  t0: number;
  end: number;
}

/** The narrowest window: a few seconds, each then hundreds of pixels wide. */
export const MIN_SPAN_S = 4;

export function span(w: ViewWindow): number {
  return w.end - w.start;
}

/** The whole recording. */
export function fitAll(b: TimeBounds): ViewWindow {
  return { start: b.t0, end: Math.max(b.end, b.t0 + MIN_SPAN_S) };
}

/** Keeps a window's width (within limits) and slides it inside the recording. */
export function clampWindow(w: ViewWindow, b: TimeBounds): ViewWindow {
  const full = Math.max(b.end - b.t0, MIN_SPAN_S);
  const width = Math.min(full, Math.max(MIN_SPAN_S, span(w)));
  const start = Math.min(Math.max(w.start, b.t0), b.t0 + full - width);
  return { start, end: start + width };
}

/**
 * Zooms by factor (< 1 zooms in) keeping the time under `anchor` (0..1 across the window) where
 * it is on screen.
 */
export function zoomWindow(
  w: ViewWindow,
  factor: number,
  anchor: number,
  b: TimeBounds,
): ViewWindow {
  const at = w.start + anchor * span(w);
  const width = Math.min(
    Math.max(b.end - b.t0, MIN_SPAN_S),
    Math.max(MIN_SPAN_S, span(w) * factor),
  );
  return clampWindow({ start: at - anchor * width, end: at - anchor * width + width }, b);
}

/** Moves the window by seconds (negative: back in time). */
export function panWindow(w: ViewWindow, seconds: number, b: TimeBounds): ViewWindow {
  return clampWindow({ start: w.start + seconds, end: w.end + seconds }, b);
}

/** The same width at the start or the end of the recording. */
export function jumpTo(w: ViewWindow, where: 'start' | 'end', b: TimeBounds): ViewWindow {
  const width = span(w);
  return clampWindow(
    where === 'start' ? { start: b.t0, end: b.t0 + width } : { start: b.end - width, end: b.end },
    b,
  );
}

/** A window that showed the old right edge keeps showing the right edge after seconds arrive. */
export function followEdge(w: ViewWindow, oldEnd: number, b: TimeBounds): ViewWindow {
  if (w.end < oldEnd - 1e-6) return w;
  return clampWindow({ start: w.start + (b.end - oldEnd), end: b.end }, b);
}

/** x (0..width) of time t, and back. */
export function timeToX(t: number, w: ViewWindow, width: number): number {
  return ((t - w.start) / span(w)) * width;
}

export function xToTime(x: number, w: ViewWindow, width: number): number {
  return w.start + (x / width) * span(w);
}
