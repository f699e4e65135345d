// The /live stream of heat-view or heat-record --serve (Server-Sent Events) as a sequence of new
// seconds. After a dropped connection the browser reconnects by itself and sends Last-Event-ID
// (the t of the last second received); the server then backfills every second after it from
// the recording. Seconds at or before the newest one passed on are dropped here, so each second
// reaches the model exactly once whatever the network did.

import type { LiveEnd, LiveHello, LiveSecond } from '../../../schemas/format.js';
import type { Mark } from '../../../schemas/marks.js';
import { parseLiveMark } from './live-mark.js';
import { parseJson, parseLiveSecond } from './live-second.js';

/** connecting: first connection; live: streaming; reconnecting: lost, trying again; ended: no more seconds will come. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'ended';

export interface LiveHandlers {
  second(m: LiveSecond): void;
  hello?(m: LiveHello): void;
  end?(m: LiveEnd): void;
  /** A mark of the recording: all of them after each hello, then each new one (the same id may come again). */
  mark?(m: Mark): void;
  status?(s: LiveStatus): void;
}

export interface LiveSourceOptions {
  /** The newest second already held: the stream starts after it. null: from now on. */
  since: number | null;
  /** The stream's URL, relative to the page. @default "live" */
  url?: string;
  /** Wait before opening a new stream when the browser gave up on one (ms). @default 2000 */
  retryMs?: number;
}

/** What went through one source, for the status line and the tests. */
export interface LiveCounts {
  /** Connections made (one hello each). */
  connections: number;
  /** Seconds passed on. */
  applied: number;
  /** Seconds received again after a reconnect and dropped. */
  duplicates: number;
}

export class LiveSource {
  status: LiveStatus = 'connecting';
  readonly counts: LiveCounts = { connections: 0, applied: 0, duplicates: 0 };
  private newest: number | null;
  private events: EventSource | null = null;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly handlers: LiveHandlers,
    private readonly options: LiveSourceOptions,
  ) {
    this.newest = options.since;
    this.open();
  }

  /** The newest second passed on (or the one given as `since`). */
  get newestSecond(): number | null {
    return this.newest;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.events?.close();
    this.events = null;
  }

  private open(): void {
    const url = new URL(this.options.url ?? 'live', location.href);
    if (this.newest !== null) url.searchParams.set('since', String(this.newest));
    const events = new EventSource(url);
    this.events = events;
    events.addEventListener('hello', (e) => this.onHello(e as MessageEvent<string>));
    events.addEventListener('second', (e) => this.onSecond(e as MessageEvent<string>));
    events.addEventListener('end', (e) => this.onEnd(e as MessageEvent<string>));
    events.addEventListener('mark', (e) => {
      const m = parseLiveMark((e as MessageEvent<string>).data);
      if (m) this.handlers.mark?.(m);
    });
    events.onerror = () => this.onError(events);
  }

  private onHello(e: MessageEvent<string>): void {
    const m = parseJson(e.data) as LiveHello | null;
    this.counts.connections++;
    this.setStatus('live');
    if (m) this.handlers.hello?.(m);
  }

  private onSecond(e: MessageEvent<string>): void {
    const m = parseLiveSecond(e.data);
    if (!m) return console.warn('live: not a second message', e.data.slice(0, 200));
    if (this.newest !== null && m.t <= this.newest) {
      this.counts.duplicates++;
      return;
    }
    this.newest = m.t;
    this.counts.applied++;
    this.handlers.second(m);
  }

  private onEnd(e: MessageEvent<string>): void {
    const m = parseJson(e.data) as LiveEnd | null;
    this.close();
    this.setStatus('ended');
    if (m) this.handlers.end?.(m);
  }

  /**
   * A lost connection: the browser retries by itself (readyState CONNECTING). When it gives up
   * (CLOSED, e.g. the server answered with an error), a new stream resumes after the newest
   * second, as Last-Event-ID would.
   */
  private onError(events: EventSource): void {
    if (this.closed || events !== this.events) return;
    this.setStatus(this.counts.connections === 0 ? 'connecting' : 'reconnecting');
    if (events.readyState !== EventSource.CLOSED) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (!this.closed) this.open();
    }, this.options.retryMs ?? 2000);
  }

  private setStatus(s: LiveStatus): void {
    if (this.status === s) return;
    this.status = s;
    this.handlers.status?.(s);
  }
}
