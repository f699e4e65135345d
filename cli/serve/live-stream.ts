// GET /live: Server-Sent Events, one event per committed second with id = t. A reconnecting
// EventSource sends Last-Event-ID and gets every later second from the recording (live-backfill.ts,
// in chunks as its socket takes them), then the live ones, so clients never see a gap or a
// duplicate. A live client that does not keep up is dropped (its buffer is bounded); the
// recording and the other clients never wait for it.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveEnd, LiveHello } from '../../schemas/format.js';
import { LIVE_MESSAGE_VERSION } from '../../schemas/format.js';
import { LiveBackfill, type BackfillBudget, type BackfillJob } from './live-backfill.js';
import type { RecordingTail } from './recording-tail.js';
import { secondFrame, sseFrame } from './sse-frame.js';

interface Client extends BackfillJob {
  /** False while backfilling: live seconds reach it through the backfill until it has caught up. */
  live: boolean;
}

export interface LiveStreamOptions {
  /** Bytes queued for one client before it is dropped. @default 4 MiB */
  maxBufferedBytes?: number;
  /** Comment line sent to idle connections so proxies keep them open. @default 15000 */
  keepAliveMs?: number;
  /** What one backfill chunk may cost. @default { ms: 3, bytes: 128 KiB } */
  backfill?: BackfillBudget;
}

export class LiveStream {
  private readonly clients = new Set<Client>();
  private readonly maxBuffered: number;
  private readonly keepAlive: NodeJS.Timeout;
  private readonly backfill: LiveBackfill;
  /** Clients dropped for not reading, each counted once (exposed for tests and /metrics). */
  dropped = 0;

  constructor(
    private readonly tail: RecordingTail,
    options: LiveStreamOptions = {},
  ) {
    this.maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.backfill = new LiveBackfill(tail, options.backfill);
    tail.subscribe({
      second: (m) => this.broadcast(m.t, secondFrame(m)),
      end: (m) => this.broadcastEnd(m),
      mark: (m) => this.each((c) => this.write(c, sseFrame('mark', m))),
    });
    this.keepAlive = setInterval(
      () => this.each((c) => this.write(c, ': keep-alive\n\n')),
      options.keepAliveMs ?? 15_000,
    );
    this.keepAlive.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** The route handler. ?since=T or Last-Event-ID: T resumes after second T; neither: from now on. */
  handle = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    const resumeAfter = parseSince(req.headers['last-event-id'] ?? url.searchParams.get('since'));
    const client: Client = {
      res,
      sentThrough: resumeAfter ?? this.tail.newestSecond,
      live: false,
      caughtUp: () => this.goLive(client),
    };
    this.clients.add(client);
    req.on('close', () => this.clients.delete(client));
    const hello: LiveHello = {
      v: LIVE_MESSAGE_VERSION,
      type: 'hello',
      lastT: this.tail.newestSecond,
      ended: this.tail.endMessage !== null,
    };
    res.write(
      `retry: 1000\n${sseFrame('hello', hello)}${this.tail.marks.map((m) => sseFrame('mark', m)).join('')}`,
    );
    this.backfill.start(client);
  };

  close(): void {
    clearInterval(this.keepAlive);
    this.backfill.close();
    this.each((c) => c.res.end());
    this.clients.clear();
  }

  /** Backfill has sent every second announced so far (in this same turn of the loop: none is missed). */
  private goLive(c: Client): void {
    c.live = true;
    const end = this.tail.endMessage;
    if (end) this.write(c, sseFrame('end', end));
  }

  private broadcast(t: number, text: string): void {
    this.each((c) => this.send(c, t, text));
  }

  private broadcastEnd(m: LiveEnd): void {
    const text = sseFrame('end', m);
    this.each((c) => c.live && this.write(c, text));
  }

  private send(c: Client, t: number, text: string): void {
    if (!c.live || t <= c.sentThrough) return;
    c.sentThrough = t;
    this.write(c, text);
  }

  private write(c: Client, text: string): void {
    if (!this.clients.has(c)) return;
    if (c.res.writableLength > this.maxBuffered) return this.drop(c);
    c.res.write(text);
  }

  /** Stuck or too slow: drop the connection, not the data (it can reconnect and backfill). Counted once. */
  private drop(c: Client): void {
    this.clients.delete(c);
    this.dropped++;
    c.res.destroy();
  }

  private each(fn: (c: Client) => void): void {
    for (const c of [...this.clients]) fn(c);
  }
}

function parseSince(value: string | string[] | null | undefined): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text === null || !/^-?\d+$/.test(text.trim())) return null;
  return Number(text.trim());
}
