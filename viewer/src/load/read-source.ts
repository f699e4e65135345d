// Where a recording's bytes come from: a picked or dropped File, or a URL (?url=), read whole or,
// for a large file, as a ByteSource read in parts (see paged-file.ts). Failures become
// RecordingErrors naming the file, like a bad file does.

import type { ByteSource } from './paged-file.js';
import { RecordingError } from './recording-error.js';

export async function readFileBytes(file: File): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.arrayBuffer());
  } catch (err) {
    throw new RecordingError(file.name, 'unreadable', `the browser could not read the file (${(err as Error).message})`);
  }
}

/** A File read in parts. A file changed on disk since it was picked fails to read (NotReadableError). */
export function fileByteSource(file: File): ByteSource {
  return {
    size: file.size,
    async read(offset, length) {
      try {
        return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
      } catch (err) {
        throw new RecordingError(file.name, 'unreadable', `the browser could not read the file; was it changed or moved since it was opened? (${(err as Error).message})`);
      }
    },
  };
}

/**
 * A URL read in parts when its server answers range requests: the first `probe` bytes are asked
 * for with a Range header. A server that sends the whole file instead gets read whole (`whole`).
 * Every later read names the file's version (If-Range: its ETag), so a file replaced meanwhile
 * is reported, not mixed with the old one.
 */
export async function urlByteSource(url: string, name: string, probe: number): Promise<{ source: ByteSource; first: Uint8Array } | { whole: Uint8Array }> {
  const response = await fetchOk(url, name, { Range: `bytes=0-${probe - 1}` });
  const total = /\/(\d+)$/.exec(response.headers.get('Content-Range') ?? '')?.[1];
  const etag = response.headers.get('ETag');
  if (response.status !== 206 || total === undefined || !etag) return { whole: new Uint8Array(await response.arrayBuffer()) };
  const first = new Uint8Array(await response.arrayBuffer());
  const source: ByteSource = {
    size: Number(total),
    async read(offset, length) {
      const part = await fetchOk(url, name, { Range: `bytes=${offset}-${offset + length - 1}`, 'If-Range': etag });
      if (part.status !== 206) throw new RecordingError(name, 'unreadable', `${url} changed on the server since it was opened: open it again`);
      return new Uint8Array(await part.arrayBuffer());
    },
  };
  return { source, first };
}

async function fetchOk(url: string, name: string, headers: Record<string, string> = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { headers, cache: 'no-store' });
  } catch (err) {
    throw new RecordingError(name, 'unreadable', `could not fetch ${url} (${(err as Error).message})`);
  }
  if (!response.ok) throw new RecordingError(name, 'unreadable', `could not fetch ${url}: HTTP ${response.status} ${response.statusText}`.trim());
  return response;
}

/** The last path segment of a URL, for titles: "runs/app.db?x" -> "app.db". */
export function nameOfUrl(url: string): string {
  const path = url.split(/[?#]/)[0] ?? url;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || url;
}
