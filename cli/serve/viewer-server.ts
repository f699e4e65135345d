// The HTTP server behind heat-view and heat-record --serve: the built viewer, one recording, and
// routes added by the live layer. Read-only (GET/HEAD only), loopback by default, a token
// whenever one is set, security headers on every answer.

import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { HeatError } from '../model/heat-error.js';
import { packagePath } from '../package-root.js';
import { generateToken, isLoopbackHost, rememberToken, requestToken, tokensMatch } from './access-token.js';
import { sendRecording } from './recording-bytes.js';
import { setSecurityHeaders } from './security-headers.js';
import { contentType, resolveStaticFile } from './static-files.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export interface ServeOptions {
  recordingPath: string;
  /** @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Required (generated when absent) off loopback; optional on loopback. */
  token?: string | null;
  /** Extra routes by exact path, e.g. /live and /metrics. */
  routes?: Record<string, RouteHandler>;
  /** @default dist/viewer in the package */
  viewerRoot?: string;
}

export interface RunningServer {
  server: Server;
  /** The page to open, with ?url= and the token when there is one. */
  url: string;
  token: string | null;
  close(): Promise<void>;
}

export async function startViewerServer(o: ServeOptions): Promise<RunningServer> {
  const host = o.host ?? '127.0.0.1';
  const token = o.token ?? (isLoopbackHost(host) ? null : generateToken());
  const viewerRoot = o.viewerRoot ?? packagePath('dist/viewer');
  if (!existsSync(`${viewerRoot}/index.html`)) throw new HeatError(`the viewer is not built (${viewerRoot}/index.html missing)`, 'run: npm run build');
  const server = createServer((req, res) => handle(req, res, { ...o, token, viewerRoot }));
  await listen(server, host, o.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  const query = new URLSearchParams({ url: 'recording.db', name: basename(o.recordingPath), ...(o.routes?.['/live'] ? { live: '1' } : {}), ...(token ? { token } : {}) });
  return { server, url: `${base}?${query}`, token, close: () => closeServer(server) };
}

function handle(req: IncomingMessage, res: ServerResponse, o: ServeOptions & { token: string | null; viewerRoot: string }): void {
  setSecurityHeaders(res);
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'read-only: GET and HEAD only', { Allow: 'GET, HEAD' });
  if (o.token !== null) {
    if (!tokensMatch(o.token, requestToken(req, url))) return reply(res, 401, 'a token is required: open the URL heat-view printed');
    if (url.searchParams.has('token')) rememberToken(res, o.token);
  }
  const route = o.routes?.[url.pathname];
  if (route) return route(req, res, url);
  if (url.pathname === '/recording.db') return serveRecording(req, res, o.recordingPath);
  serveStatic(req, res, o.viewerRoot, rawPath(req.url ?? '/'));
}

/** The recording, or why it cannot be read (moved, garbled): a server outlives one failed request. */
function serveRecording(req: IncomingMessage, res: ServerResponse, path: string): void {
  const failed = (err: unknown) => {
    if (res.headersSent) return void res.destroy();
    reply(res, 503, `cannot read the recording: ${err instanceof Error ? err.message : String(err)}`);
  };
  try {
    Promise.resolve(sendRecording(req, res, path)).catch(failed);
  } catch (err) {
    failed(err);
  }
}

/** The path exactly as sent (URL parsing would already resolve "..", hiding traversal attempts). */
function rawPath(requestUrl: string): string {
  return requestUrl.split('?')[0]!.split('#')[0]!;
}

function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, path: string): void {
  const file = resolveStaticFile(root, path);
  if (!file) return reply(res, 404, 'not found');
  res.writeHead(200, { 'Content-Type': contentType(file) });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

export function reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${message}\n`);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new HeatError(`port ${port} on ${host} is already in use (--port)`, 'pick another with --port, or --port 0 for any free port'));
      else if (err.code === 'EADDRNOTAVAIL') reject(new HeatError(`cannot bind ${host}: no such address on this machine`, 'use 127.0.0.1, 0.0.0.0 or one of this machine\'s addresses'));
      else reject(err);
    });
    server.listen(port, host, () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
