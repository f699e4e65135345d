// Where a recording's bytes come from: a picked or dropped File, or a URL (?url=), read whole or,
// for a large file, as a ByteSource read in parts (see paged-file.ts). Failures become
// RecordingErrors naming the file, like a bad file does.

import type { ByteSource } from './paged-file.js';
import { checkPart, noVersionNote, readRangeAnswer } from './range-answer.js';
import { RecordingError } from './recording-error.js';

export async function readFileBytes(file: File): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.arrayBuffer());
  } catch (err) {
    throw new RecordingError(
      file.name,
      'unreadable',
      `the browser could not read the file (${(err as Error).message})`,
    );
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
        throw new RecordingError(
          file.name,
          'unreadable',
          `the browser could not read the file; was it changed or moved since it was opened? (${(err as Error).message})`,
        );
      }
    },
  };
}

/**
 * A URL read in parts when its server answers range requests: the first `probe` bytes are asked
 * for with a Range header. A server that sends the whole file instead gets read whole (`whole`).
 * A 206 gives the file's size (range-answer.ts); every later part must come from the same
 * version of the file (its ETag or Last-Modified, and its size), so a file replaced meanwhile is
 * reported, not mixed with the old one. A host that sends no validator is still read in parts
 * (reading a week-long recording whole does not fit in a tab) with a note that says so.
 */
export async function urlByteSource(
  url: string,
  name: string,
  probe: number,
): Promise<{ source: ByteSource; first: Uint8Array } | { whole: Uint8Array }> {
  const response = await fetchOk(url, name, { Range: `bytes=0-${probe - 1}` });
  if (response.status !== 206) return { whole: new Uint8Array(await response.arrayBuffer()) };
  const answer = readRangeAnswer(response, url, name);
  const first = new Uint8Array(await response.arrayBuffer());
  // If-Range is not a CORS-safelisted header: sent across origins it would need every host to answer a preflight.
  const ifRange: Record<string, string> =
    answer.ifRange && isSameOrigin(url) ? { 'If-Range': answer.ifRange } : {};
  const source: ByteSource = {
    size: answer.total,
    note: answer.version === null ? noVersionNote(url) : undefined,
    async read(offset, length) {
      const part = await fetchOk(url, name, {
        Range: `bytes=${offset}-${offset + length - 1}`,
        ...ifRange,
      });
      try {
        checkPart(part, answer, url, name);
      } catch (err) {
        void part.body?.cancel(); // a 200 here is the whole new file: do not download it
        throw err;
      }
      const bytes = new Uint8Array(await part.arrayBuffer());
      if (bytes.length !== length)
        throw new RecordingError(
          name,
          'unreadable',
          `${url} answered ${bytes.length} bytes where ${length} were asked for`,
        );
      return bytes;
    },
  };
  return { source, first };
}

function isSameOrigin(url: string): boolean {
  const here = globalThis.location?.href;
  return here === undefined || new URL(url, here).origin === new URL(here).origin;
}

async function fetchOk(
  url: string,
  name: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { headers, cache: 'no-store' });
  } catch (err) {
    throw new RecordingError(
      name,
      'unreadable',
      `could not fetch ${url} (${(err as Error).message})`,
    );
  }
  if (!response.ok)
    throw new RecordingError(
      name,
      'unreadable',
      `could not fetch ${url}: HTTP ${response.status} ${response.statusText}`.trim(),
    );
  return response;
}

/** The last path segment of a URL, for titles: "runs/app.db?x" -> "app.db". */
export function nameOfUrl(url: string): string {
  const path = url.split(/[?#]/)[0] ?? url;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || url;
}
