// How long a recording took from opening to its first frame painted whole, for the benchmark
// and the browser tests (window.__heatViewer) and as performance marks (heat:open → heat:painted).
// Opening reports its steps here; the heat map reports each frame it painted.

export class PaintTiming {
  /** ms from opening a file to its first frame painted whole, per recording opened. */
  readonly openToPaintMs: number[] = [];
  /** ms from the whole file's bytes being in hand (read in parts: from opening) to that frame. */
  readonly bytesToPaintMs: number[] = [];
  /** performance.now() when opening began, and when all the bytes were in hand; null once painted whole. */
  private openAt: number | null = null;
  private bytesAt: number | null = null;

  /** True from opening until the first whole frame: frames are then drawn at once, not in the next animation frame. */
  get awaitingFirstPaint(): boolean {
    return this.bytesAt !== null;
  }

  opening(): void {
    this.openAt = this.bytesAt = performance.now();
    performance.mark('heat:open');
  }

  bytesInHand(): void {
    this.bytesAt = performance.now();
    performance.mark('heat:bytes');
  }

  /** Opening failed: nothing will be painted. */
  failed(): void {
    this.openAt = this.bytesAt = null;
  }

  /** A frame is about to be computed and drawn. */
  drawing(): void {
    if (this.bytesAt !== null) performance.mark('heat:first-draw');
  }

  /** A frame was painted; `complete` false when some of its counts were still being read. */
  painted(complete: boolean): void {
    if (this.openAt === null || this.bytesAt === null || !complete) return;
    const now = performance.now();
    this.openToPaintMs.push(now - this.openAt);
    this.bytesToPaintMs.push(now - this.bytesAt);
    performance.mark('heat:painted');
    this.openAt = this.bytesAt = null;
  }
}
