// Every request runs inside guarded(): whatever its handling throws or rejects with answers that
// request alone (400 for a request the server cannot make sense of, 500 for a fault of ours),
// and a socket error ends that connection alone. No input from the network may end the process:
// under heat-record --serve it is also the recorder.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request this server cannot make sense of (its URL, a header): answered 400. */
export class BadRequest extends Error {}

/** Runs one request's handling; a throw or a rejection answers that request with 400/500. */
export function guarded(
  req: IncomingMessage,
  res: ServerResponse,
  work: () => void | Promise<void>,
): void {
  req.on('error', () => res.destroy());
  res.on('error', () => res.destroy());
  const failed = (err: unknown) => failRequest(res, err);
  try {
    Promise.resolve(work()).catch(failed);
  } catch (err) {
    failed(err);
  }
}

/** The request's URL; a target that is not one (e.g. "//x:99999") is a BadRequest. */
export function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    throw new BadRequest('the request target is not a URL');
  }
}

export function reply(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${message}\n`);
}

function failRequest(res: ServerResponse, err: unknown): void {
  if (res.headersSent) return void res.destroy(); // mid-answer: the client sees a cut response
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof BadRequest) reply(res, 400, message);
  else reply(res, 500, `internal error: ${message}`);
}
