// How a host's answer to a range request is read: a 206's Content-Range gives the file's size
// (`bytes 0-65535/295432192`), and its ETag or Last-Modified, when there is one, names the
// version of the file every later part must come from. A host that hides Content-Range (across
// origins only the CORS-safelisted headers are readable: Content-Length, Last-Modified, not
// Content-Range or ETag) is told which header to expose instead of being read as cut short.

import { RecordingError } from './recording-error.js';

/** What the first 206 said about the file. */
export interface RangeAnswer {
  total: number;
  /** The version's name, compared with every later part's (null: the host sends none). */
  version: string | null;
  /** The header to send back as If-Range: a strong ETag or a Last-Modified date (weak ETags never match one). */
  ifRange: string | null;
}

/** The header a cross-origin host must send for a recording to be read from it in parts. */
export const EXPOSE_HEADERS = 'Access-Control-Expose-Headers: Content-Range, ETag, Content-Length';

/** Reads the first 206; throws a one-line RecordingError when its size cannot be known. */
export function readRangeAnswer(response: Response, url: string, name: string): RangeAnswer {
  const total = totalOf(response);
  if (total === null)
    throw new RecordingError(name, 'unreadable', missingContentRange(response, url));
  const etag = response.headers.get('ETag');
  const modified = response.headers.get('Last-Modified');
  const strong = etag && !etag.startsWith('W/') ? etag : null;
  return { total, version: etag ?? modified, ifRange: strong ?? modified };
}

/** Checks a later part's headers: a 206 of the same size and version. */
export function checkPart(response: Response, first: RangeAnswer, url: string, name: string): void {
  const changed = () =>
    new RecordingError(
      name,
      'unreadable',
      `${url} changed on the server since it was opened: open it again`,
    );
  if (response.status !== 206) throw changed(); // If-Range did not match: the host sent the whole new file
  if (totalOf(response) !== first.total) throw changed();
  if (
    first.version !== null &&
    (response.headers.get('ETag') ?? response.headers.get('Last-Modified')) !== first.version
  )
    throw changed();
}

/** What the viewer says when a host sends neither ETag nor Last-Modified (shown with the file's health). */
export function noVersionNote(url: string): string {
  return `${url} is read in parts from a host that sends neither ETag nor Last-Modified: a file replaced while open is noticed only if its size changed`;
}

/** `bytes 0-65535/295432192` -> 295432192; null when missing or `*`. */
function totalOf(response: Response): number | null {
  const total = /\/(\d+)\s*$/.exec(response.headers.get('Content-Range') ?? '')?.[1];
  return total === undefined ? null : Number(total);
}

function missingContentRange(response: Response, url: string): string {
  if (response.type === 'cors') {
    return `${url} is on another site that hides Content-Range from this page: the host must send ${EXPOSE_HEADERS}`;
  }
  return `${url} answered a range request (206) without a Content-Range header giving the file's size`;
}
