// Everything live about one recording, ready to mount on the viewer server: the tail that follows
// the file, the /live event stream and /metrics.

import { LiveStream, type LiveStreamOptions } from './live-stream.js';
import { PrometheusMetrics } from './prometheus-metrics.js';
import { RecordingTail } from './recording-tail.js';
import type { RouteHandler } from './viewer-server.js';

export class LiveRecording {
  readonly tail: RecordingTail;
  readonly stream: LiveStream;
  readonly metrics: PrometheusMetrics;

  /** @param pollMs how often to look for seconds written by another process @default 200 */
  constructor(path: string, options: LiveStreamOptions & { pollMs?: number } = {}) {
    this.tail = new RecordingTail(path);
    this.tail.start(options.pollMs ?? 200);
    this.stream = new LiveStream(this.tail, options);
    this.metrics = new PrometheusMetrics(this.tail, () => this.stream.dropped);
  }

  get routes(): Record<string, RouteHandler> {
    return { '/live': this.stream.handle, '/metrics': this.metrics.handle };
  }

  close(): void {
    this.tail.stop();
    this.stream.close();
  }
}
