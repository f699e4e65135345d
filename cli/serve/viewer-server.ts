// The HTTP server behind heat-view and heat-record --serve: the built viewer, one recording, and
// routes added by the live layer. Read-only (GET/HEAD only), loopback by default, only for Hosts
// that name it (host-guard.ts), a token whenever one is set, security headers on every answer.
// Whatever a request does wrong ends that request (400/500), never the process: under
// heat-record --serve the process is also the recorder.

import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { HeatError } from '../model/heat-error.js';
import { packagePath } from '../package-root.js';
import {
  checkTokenStrength,
  generateToken,
  rememberToken,
  requestToken,
  tokenCookieName,
  tokensMatch,
} from './access-token.js';
import { HostGuard, isLoopbackHost } from './host-guard.js';
import { guarded, reply, requestUrl } from './request-guard.js';
import { sendRecording } from './recording-bytes.js';
import { setSecurityHeaders } from './security-headers.js';
import { contentType, resolveStaticFile } from './static-files.js';

/** A route; what it throws or rejects with becomes a 500 for that request alone. */
export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) => void | Promise<void>;

export interface ServeOptions {
  recordingPath: string;
  /** @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Required (generated when absent) off loopback; optional on loopback. At least MIN_TOKEN_LENGTH characters. */
  token?: string | null;
  /** Names besides loopback and the bound address that requests may carry in Host (--allow-host). */
  allowHosts?: readonly string[];
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
  if (o.token) checkTokenStrength(o.token, '--token');
  const token = o.token ?? (isLoopbackHost(host) ? null : generateToken());
  const viewerRoot = o.viewerRoot ?? packagePath('dist/viewer');
  if (!existsSync(`${viewerRoot}/index.html`))
    throw new HeatError(
      `the viewer is not built (${viewerRoot}/index.html missing)`,
      'run: npm run build',
    );
  const site: Site = {
    ...o,
    token,
    viewerRoot,
    hosts: new HostGuard(host, o.allowHosts),
    cookie: '',
  };
  const server = createServer((req, res) => guarded(req, res, () => handle(req, res, site)));
  await listen(server, host, o.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  site.cookie = tokenCookieName(port);
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  const query = new URLSearchParams({
    url: 'recording.db',
    name: basename(o.recordingPath),
    ...(o.routes?.['/live'] ? { live: '1' } : {}),
    ...(token ? { token } : {}),
  });
  return { server, url: `${base}?${query}`, token, close: () => closeServer(server) };
}

interface Site extends ServeOptions {
  token: string | null;
  viewerRoot: string;
  hosts: HostGuard;
  /** The token cookie's name (it carries the port, known once listening). */
  cookie: string;
}

function handle(req: IncomingMessage, res: ServerResponse, o: Site): void | Promise<void> {
  setSecurityHeaders(res);
  const refused = o.hosts.refusal(req);
  if (refused) return reply(res, 403, refused);
  const url = requestUrl(req);
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return reply(res, 405, 'read-only: GET and HEAD only', { Allow: 'GET, HEAD' });
  if (o.token !== null) {
    if (!tokensMatch(o.token, requestToken(req, url, o.cookie)))
      return reply(res, 401, 'a token is required: open the URL heat-view printed');
    if (url.searchParams.has('token')) rememberToken(res, o.token, o.cookie);
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
    reply(
      res,
      503,
      `cannot read the recording: ${err instanceof Error ? err.message : String(err)}`,
    );
  };
  try {
    Promise.resolve(sendRecording(req, res, path)).catch(failed);
  } catch (err) {
    failed(err);
  }
}

/** The path exactly as sent (URL parsing would already resolve "..", hiding traversal attempts). */
function rawPath(target: string): string {
  return target.split('?')[0]!.split('#')[0]!;
}

function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, path: string): void {
  const file = resolveStaticFile(root, path);
  if (!file) return reply(res, 404, 'not found');
  res.writeHead(200, { 'Content-Type': contentType(file) });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        reject(
          new HeatError(
            `port ${port} on ${host} is already in use (--port)`,
            'pick another with --port, or --port 0 for any free port',
          ),
        );
      else if (err.code === 'EADDRNOTAVAIL')
        reject(
          new HeatError(
            `cannot bind ${host}: no such address on this machine`,
            "use 127.0.0.1, 0.0.0.0 or one of this machine's addresses",
          ),
        );
      else reject(err);
    });
    server.listen(port, host, () => {
      // From now on an error is one connection's (e.g. EMFILE on accept): it must not end the process.
      server.on('error', () => {});
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
