// A small static file server: the built viewer under /, recordings under /rec/, with the
// Content-Security-Policy heat-view sends. The viewer bench uses it; the browser tests use the
// real viewer server (helpers/browser.ts), so its own headers are the ones exercised. With
// options it plays a plain static host or a bucket on another site: single byte ranges
// answered (206 + Content-Range), with or without a validator, CORS headers, no CSP.

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

export const VIEWER_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.db': 'application/vnd.sqlite3',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** A file request as answered: `bytes` sent in the body. */
export interface StaticRequest {
  path: string;
  method: string;
  range?: string;
  ifRange?: string;
  status: number;
  bytes: number;
}

export interface StaticServer {
  url: string;
  /** Every file request answered, in order (404s left out). */
  requests: StaticRequest[];
  close(): Promise<void>;
}

export interface StaticOptions {
  /** Answer `Range: bytes=a-b` with a 206. @default false (every answer is the whole file, 200) */
  ranges?: boolean;
  /** The validator sent with files. @default 'none' */
  validator?: 'none' | 'etag' | 'last-modified';
  /** The page's Content-Security-Policy; null sends none (a host that knows nothing of the viewer). @default VIEWER_CSP */
  csp?: string | null;
  /** Answer any origin (Access-Control-Allow-Origin: *), exposing these headers when given. */
  cors?: { expose?: string };
}

/**
 * Serves `viewerDir` at / and `recordingsDir` at /rec/ on 127.0.0.1 (a free port).
 */
export async function serveStatic(
  viewerDir: string,
  recordingsDir: string,
  o: StaticOptions = {},
): Promise<StaticServer> {
  const requests: StaticRequest[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const [root, rest] = path.startsWith('/rec/')
      ? [recordingsDir, path.slice(5)]
      : [viewerDir, path === '/' ? 'index.html' : path.slice(1)];
    const file = normalize(join(root, rest));
    if (!file.startsWith(normalize(root) + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const stat = statSync(file);
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...(o.csp !== null ? { 'content-security-policy': o.csp ?? VIEWER_CSP } : {}),
      ...(o.ranges ? { 'accept-ranges': 'bytes' } : {}),
      ...(o.validator === 'etag' ? { etag: `"${stat.size}-${stat.mtimeMs}"` } : {}),
      ...(o.validator === 'last-modified' ? { 'last-modified': stat.mtime.toUTCString() } : {}),
      ...(o.cors ? { 'access-control-allow-origin': '*' } : {}),
      ...(o.cors?.expose ? { 'access-control-expose-headers': o.cors.expose } : {}),
    };
    const range = o.ranges ? /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '') : null;
    const [start, end] = range
      ? [Number(range[1]), Math.min(Number(range[2]), stat.size - 1)]
      : [0, stat.size - 1];
    const status = range ? 206 : 200;
    requests.push({
      path,
      method: req.method ?? '',
      range: req.headers.range,
      ifRange: req.headers['if-range'] as string | undefined,
      status,
      bytes: end - start + 1,
    });
    if (range) headers['content-range'] = `bytes ${start}-${end}/${stat.size}`;
    res.writeHead(status, { ...headers, 'content-length': String(end - start + 1) });
    createReadStream(file, { start, end }).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
