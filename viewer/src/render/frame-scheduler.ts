// Coalesces redraw requests: any number of invalidate() calls in a frame give one draw, in the
// next animation frame.

export class FrameScheduler {
  private pending = 0;

  constructor(private readonly draw: (now: number) => void) {}

  invalidate(): void {
    if (this.pending) return;
    this.pending = requestAnimationFrame((now) => {
      this.pending = 0;
      this.draw(now);
    });
  }

  cancel(): void {
    if (this.pending) cancelAnimationFrame(this.pending);
    this.pending = 0;
  }
}
