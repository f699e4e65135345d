// Replay: a time cursor moving through the recording at 1x, 10x or 60x, with the window
// sliding along so the cursor stays at its right edge — the moving window of the classic
// latency heat map demo, over a recording instead of a live system.

import { span } from '../model/view-window.js';
import type { ViewerState } from './viewer-state.svelte.js';

export const SPEEDS = [1, 10, 60] as const;
export type Speed = (typeof SPEEDS)[number];

export class Replay {
  playing = $state(false);
  speed = $state<Speed>(1);
  private frame = 0;
  private last = 0;

  constructor(private readonly viewer: ViewerState) {}

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Plays from the window's right edge, or from the start when already at the end. */
  play(): void {
    const v = this.viewer;
    if (!v.recording) return;
    const width = span(v.window);
    let cursor = v.cursor ?? v.window.end;
    if (cursor >= v.bounds.end - 1e-6) cursor = v.bounds.t0 + Math.min(width, 1);
    v.cursor = cursor;
    this.playing = true;
    this.last = performance.now();
    this.frame = requestAnimationFrame((now) => this.tick(now));
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.frame);
  }

  /** Stops and removes the cursor. */
  stop(): void {
    this.pause();
    this.viewer.cursor = null;
  }

  private tick(now: number): void {
    if (!this.playing) return;
    const v = this.viewer;
    const dt = Math.max(0, Math.min(0.25, (now - this.last) / 1000)); // a hidden tab must not jump ahead
    this.last = now;
    const cursor = Math.min(v.bounds.end, (v.cursor ?? v.window.end) + dt * this.speed);
    v.cursor = cursor;
    const width = span(v.window);
    v.setWindow(
      cursor - width < v.bounds.t0
        ? { start: v.bounds.t0, end: v.bounds.t0 + width }
        : { start: cursor - width, end: cursor },
    );
    if (cursor >= v.bounds.end) this.pause();
    else this.frame = requestAnimationFrame((t) => this.tick(t));
  }
}
