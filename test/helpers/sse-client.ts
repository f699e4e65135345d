// A minimal Server-Sent Events client for tests: fetch + eventsource-parser, with Last-Event-ID.

import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseConnection {
  events: EventSourceMessage[];
  /** Resolves when the stream ends (server closed it or close() was called). */
  closed: Promise<void>;
  close(): void;
}

export function connectSse(
  url: string,
  headers: Record<string, string> = {},
  onEvent?: (e: EventSourceMessage) => void,
): SseConnection {
  const controller = new AbortController();
  const events: EventSourceMessage[] = [];
  const closed = readSse(
    url,
    headers,
    (e) => {
      events.push(e);
      onEvent?.(e);
    },
    controller.signal,
  );
  return { events, closed, close: () => controller.abort() };
}

/** The t of every `second` event received, in order. */
export function secondIds(events: EventSourceMessage[]): number[] {
  return events.filter((e) => e.event === 'second').map((e) => Number(e.id));
}

/**
 * Reads a stream without keeping it: calls onEvent for each event until it returns true, the
 * stream ends or `signal` aborts. For streams too long to hold (a day of seconds is ~600 MB).
 */
export async function readSse(
  url: string,
  headers: Record<string, string>,
  onEvent: (e: EventSourceMessage) => boolean | void,
  signal?: AbortSignal,
): Promise<void> {
  const controller = new AbortController();
  signal?.addEventListener('abort', () => controller.abort());
  const parser = createParser({
    onEvent: (e) => {
      if (onEvent(e) === true) controller.abort();
    },
  });
  try {
    const res = await fetch(url, { headers, signal: controller.signal });
    if (!res.ok || !res.body) throw new Error(`GET ${url}: ${res.status}`);
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      parser.feed(decoder.decode(chunk, { stream: true }));
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  }
}
