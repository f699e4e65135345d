// Resolves a request path to a file inside one folder, and nowhere else: no "..", no encoded
// escapes, no symlinks pointing out, no dot-files.

import { realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The real path of the file `urlPath` names inside `root`, or null if it does not exist or
 * would leave root. `urlPath` is the raw path of the request URL (still percent-encoded).
 */
export function resolveStaticFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null; // malformed escapes
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p.startsWith('.'))) return null;
  const realRoot = realpathSync(root);
  let real: string;
  try {
    real = realpathSync(join(realRoot, ...(parts.length ? parts : ['index.html'])));
  } catch {
    return null;
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) return null; // a symlink out of the folder
  return statSync(real).isFile() ? real : null;
}
