// GET /live: Server-Sent Events, one event per committed second with id = t. A reconnecting
// EventSource sends Last-Event-ID and gets every later second from the recording, so clients
// never see a gap or a duplicate. A client that does not keep up is dropped (its buffer is
// bounded); the recording and the other clients never wait for it.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveEnd, LiveHello, LiveSecond } from '../../schemas/format.js';
import { LIVE_MESSAGE_VERSION } from '../../schemas/format.js';
import type { RecordingTail } from './recording-tail.js';

interface Client {
  res: ServerResponse;
  /** The newest second this client has been sent. */
  sentThrough: number;
}

export interface LiveStreamOptions {
  /** Bytes queued for one client before it is dropped. @default 4 MiB */
  maxBufferedBytes?: number;
  /** Comment line sent to idle connections so proxies keep them open. @default 15000 */
  keepAliveMs?: number;
}

export class LiveStream {
  private readonly clients = new Set<Client>();
  private readonly maxBuffered: number;
  private readonly keepAlive: NodeJS.Timeout;
  /** Clients dropped for not reading (exposed for tests and /metrics). */
  dropped = 0;

  constructor(private readonly tail: RecordingTail, options: LiveStreamOptions = {}) {
    this.maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    tail.subscribe({ second: (m) => this.broadcast(m.t, frame('second', m, m.t)), end: (m) => this.broadcastEnd(m) });
    this.keepAlive = setInterval(() => this.each((c) => this.write(c, ': keep-alive\n\n')), options.keepAliveMs ?? 15_000);
    this.keepAlive.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** The route handler. ?since=T or Last-Event-ID: T resumes after second T; neither: from now on. */
  handle = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    const resumeAfter = parseSince(req.headers['last-event-id'] ?? url.searchParams.get('since'));
    const client: Client = { res, sentThrough: resumeAfter ?? this.tail.newestSecond };
    this.clients.add(client);
    req.on('close', () => this.clients.delete(client));
    const hello: LiveHello = { v: LIVE_MESSAGE_VERSION, type: 'hello', lastT: this.tail.newestSecond, ended: this.tail.endMessage !== null };
    res.write(`retry: 1000\n${frame('hello', hello)}`);
    // Synchronous from here: no second can be broadcast between the backfill read and the subscription.
    for (const s of this.tail.secondsAfter(client.sentThrough)) this.send(client, s.t, frame('second', s, s.t));
    const end = this.tail.endMessage;
    if (end) this.write(client, frame('end', end));
  };

  close(): void {
    clearInterval(this.keepAlive);
    this.each((c) => c.res.end());
    this.clients.clear();
  }

  private broadcast(t: number, text: string): void {
    this.each((c) => this.send(c, t, text));
  }

  private broadcastEnd(m: LiveEnd): void {
    const text = frame('end', m);
    this.each((c) => this.write(c, text));
  }

  private send(c: Client, t: number, text: string): void {
    if (t <= c.sentThrough) return;
    c.sentThrough = t;
    this.write(c, text);
  }

  private write(c: Client, text: string): void {
    if (c.res.writableLength > this.maxBuffered) {
      // Stuck or too slow: drop the connection, not the data. It can reconnect and backfill.
      this.dropped++;
      this.clients.delete(c);
      c.res.destroy();
      return;
    }
    c.res.write(text);
  }

  private each(fn: (c: Client) => void): void {
    for (const c of [...this.clients]) fn(c);
  }
}

function frame(event: string, data: LiveHello | LiveSecond | LiveEnd, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function parseSince(value: string | string[] | null | undefined): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text === null || !/^-?\d+$/.test(text.trim())) return null;
  return Number(text.trim());
}
