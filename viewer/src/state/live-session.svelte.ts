// Live mode: a recording opened from a server that streams it (heat-view, heat-record --serve;
// the page URL carries &live=1). Loads the file as it is now, then appends every second the
// server commits after it. The view follows the newest second at the right edge while it shows
// the edge; scrubbing or zooming back leaves the edge (following pauses) and resume() returns.

import { LiveSource, type LiveCounts, type LiveStatus } from '../load/live-source.js';
import { toAppendedSecond } from '../load/live-second.js';
import { nameOfUrl } from '../load/read-source.js';
import type { LiveSecond } from '../../../schemas/format.js';
import type { Recording } from '../model/recording.js';
import type { ViewerState } from './viewer-state.svelte.js';

/** A view showing the recording from its start grows with it up to this width, then slides (s). */
export const LIVE_SPAN_S = 60;

/** waiting: the recording has no second yet; closed: not following (another recording was opened, or it had ended before it was loaded). */
export type LiveSessionStatus = LiveStatus | 'waiting' | 'closed';

export class LiveSession {
  status = $state<LiveSessionStatus>('connecting');
  /** Why the recording ended (meta end_reason), once it has. */
  endReason = $state<string | null>(null);
  private source: LiveSource | null = null;
  private recording: Recording | null = null;
  private stopWaiting: (() => void) | null = null;

  constructor(private readonly viewer: ViewerState) {}

  /** True while the view shows the newest second (new seconds move it along). */
  get following(): boolean {
    return this.viewer.window.end >= this.viewer.bounds.end - 1e-6;
  }

  /** Opens the recording at url (relative to the page) and follows it. */
  async open(url: string, name = nameOfUrl(url)): Promise<void> {
    const v = this.viewer;
    await v.openUrl(url, name);
    while (v.error?.problem === 'empty' && this.status !== 'closed') {
      // Served as soon as the file exists: wait for its first second rather than show an error.
      v.error = null;
      v.loading = name;
      this.status = 'waiting';
      if (!(await this.firstSecond())) return;
      await v.openUrl(url, name);
    }
    if (!v.recording || this.status === 'closed') return;
    this.follow(v.recording);
  }

  /** The Live control: back to the newest second, and follow it again. */
  resume(): void {
    this.viewer.jump('end');
  }

  /** Stops streaming (another recording was opened). */
  close(): void {
    this.stopWaiting?.();
    this.stopWaiting = null;
    this.source?.close();
    this.source = null;
    this.recording = null;
    this.status = 'closed';
  }

  /** Counts of the current stream, for the test hooks. */
  counts(): LiveCounts | null {
    return this.source ? { ...this.source.counts } : null;
  }

  private follow(rec: Recording): void {
    this.recording = rec;
    this.status = 'connecting';
    const since = rec.end - 1;
    this.source = new LiveSource(
      {
        hello: (m) => {
          // A recording that had ended before it was loaded is just a file: no live control.
          if (m.ended && m.lastT <= since && this.source?.counts.connections === 1) this.close();
        },
        second: (m) => this.apply(m),
        mark: (m) => {
          if (this.viewer.recording === rec) this.viewer.showMark(m);
        },
        end: (m) => {
          this.endReason = m.reason;
          this.status = 'ended';
          if (this.viewer.recording === rec) this.viewer.markEnded(m);
        },
        status: (s) => {
          if (this.status !== 'closed') this.status = s;
        },
      },
      { since },
    );
  }

  private apply(m: LiveSecond): void {
    const v = this.viewer;
    const rec = this.recording;
    if (!rec || v.recording !== rec) return this.close();
    if (m.t < rec.end) return; // already in the file as loaded
    const growing = this.following && v.window.start <= rec.t0 + 1e-6;
    v.appendSecond(
      toAppendedSecond(m, {
        hasSeries: (id) => rec.seriesIds.includes(id),
        hasBucket: (id) => rec.axis.rowOf(id) >= 0,
      }),
    );
    if (growing && rec.end - rec.t0 <= LIVE_SPAN_S) v.setWindow({ start: rec.t0, end: rec.end });
  }

  /** Resolves true once the server holds a second (false if the recording ended without one, or on close). */
  private firstSecond(): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (found: boolean) => {
        this.stopWaiting = null;
        this.source?.close();
        this.source = null;
        resolve(found);
      };
      this.stopWaiting = () => done(false);
      this.source = new LiveSource(
        {
          hello: (m) => {
            if (m.lastT >= 0) done(true);
          },
          second: () => done(true),
          end: (m) => {
            this.endReason = m.reason;
            this.status = 'ended';
            this.viewer.loading = null;
            done(false);
          },
        },
        { since: null },
      );
    });
  }
}
