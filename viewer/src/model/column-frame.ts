// One screen's worth of counts: the view window cut into pixel columns, each column the sum of
// the seconds under it (or, zoomed in, the one second it shows; drawn from a rollup level, the
// whole windows under it). Painters, the tooltip and the
// percentile lines all read this frame, so what is hovered is exactly what is painted.

/** Counts a frame's columns are summed from: a per-second TimeGrid, or one rollup level. */
export interface ColumnGrid {
  readonly rows: number;
  readonly t0: number;
  readonly end: number;
  /**
   * The seconds a column over [from, to) shows: whole stored windows for a rollup level.
   * Without it, exactly [from, to).
   */
  cover?(from: number, to: number): [number, number];
  /** False while some of its counts are still being read from the file: it is drawn again when they arrive. */
  readonly complete?: boolean;
  /** Sums rows over seconds [from, to) into out (length rows). */
  sumInto(from: number, to: number, out: Float64Array): Float64Array;
  total(from: number, to: number): number;
  anyPresent(from: number, to: number): boolean;
}

/** What a painter draws from: the counts for a window drawn at a number of pixel columns. */
export interface FrameSource {
  gridFor(start: number, end: number, columns: number): ColumnGrid;
}

/**
 * What a column shows. Outside: before the first or after the last second of the recording;
 * Missed: only missed seconds (a gap in the recording); Recorded: at least one recorded second.
 */
export const ColumnState = { Outside: 0, Missed: 1, Recorded: 2 } as const;

export interface ColumnFrame {
  columns: number;
  rows: number;
  /** columns x rows counts, column-major (column c's rows at c * rows). */
  counts: Float64Array;
  /** Per column: total count, first second and the second after the last. */
  totals: Float64Array;
  from: Int32Array;
  to: Int32Array;
  state: Uint8Array;
}

/**
 * The seconds [from, to) under column c of a window [start, end) cut into `columns`: columns
 * partition the seconds when zoomed out; zoomed in, each column shows the second it falls in.
 */
export function columnSeconds(
  start: number,
  end: number,
  columns: number,
  c: number,
): [number, number] {
  const dt = (end - start) / columns;
  const from = Math.floor(start + c * dt + 1e-9);
  const to = Math.max(from + 1, Math.floor(start + (c + 1) * dt + 1e-9));
  return [from, to];
}

/** Fills (or allocates) a frame for the window [start, end) at `columns` pixel columns. */
export function buildColumnFrame(
  grid: ColumnGrid,
  start: number,
  end: number,
  columns: number,
  reuse?: ColumnFrame,
): ColumnFrame {
  const frame =
    reuse && reuse.columns === columns && reuse.rows === grid.rows
      ? reuse
      : allocateFrame(columns, grid.rows);
  for (let c = 0; c < columns; c++) {
    const seconds = columnSeconds(start, end, columns, c);
    const [from, to] = grid.cover ? grid.cover(seconds[0], seconds[1]) : seconds;
    frame.from[c] = from;
    frame.to[c] = to;
    grid.sumInto(from, to, frame.counts.subarray(c * grid.rows, (c + 1) * grid.rows));
    frame.totals[c] = grid.total(from, to);
    frame.state[c] =
      to <= grid.t0 || from >= grid.end
        ? ColumnState.Outside
        : grid.anyPresent(from, to)
          ? ColumnState.Recorded
          : ColumnState.Missed;
  }
  return frame;
}

function allocateFrame(columns: number, rows: number): ColumnFrame {
  return {
    columns,
    rows,
    counts: new Float64Array(columns * rows),
    totals: new Float64Array(columns),
    from: new Int32Array(columns),
    to: new Int32Array(columns),
    state: new Uint8Array(columns),
  };
}

/** The column under x (same units as columns), or -1 outside. */
export function columnAt(frame: ColumnFrame, x: number): number {
  const c = Math.floor(x);
  return c >= 0 && c < frame.columns ? c : -1;
}
