// A recording carried inside the page itself: the single-file viewer (heat-viewer.html) that
// `heat-record export --html` and "export this window" write holds the recording gzipped and
// base64-encoded in <script type="application/gzip" id="heat-recording" data-name="run.db">.
// It is read once at start-up and the element emptied, so its text does not stay in memory.

import { RecordingError } from './recording-error.js';

/** The id of the element holding the recording. */
export const EMBEDDED_RECORDING_ID = 'heat-recording';

export interface EmbeddedRecording {
  name: string;
  /** The gzipped recording, still base64 text. */
  base64: string;
}

/** Takes the page's embedded recording out of the document, or null when it has none. */
export function takeEmbeddedRecording(doc: Document = document): EmbeddedRecording | null {
  const element = doc.getElementById(EMBEDDED_RECORDING_ID);
  const base64 = element?.textContent?.trim() ?? '';
  if (!element || base64 === '') return null;
  element.textContent = '';
  return { name: element.dataset.name || 'recording.db', base64 };
}

/**
 * base64 text -> gunzipped bytes (DecompressionStream, so no library is needed). The text is
 * dropped from `embedded` once decoded: for a day-long recording it is over 100 MB.
 */
export async function decodeEmbeddedRecording(embedded: EmbeddedRecording): Promise<Uint8Array> {
  try {
    const gzipped = base64ToBytes(embedded.base64);
    embedded.base64 = '';
    const stream = new Blob([gzipped as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (err) {
    throw new RecordingError(embedded.name, 'truncated', `the recording inside this page is damaged (${(err as Error).message})`);
  }
}

/** Gzips bytes (CompressionStream), for pages this viewer writes itself. */
export async function gzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Decodes base64 with the native decoder where the browser has one. */
export function base64ToBytes(text: string): Uint8Array {
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (native) return native(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  const native = (bytes as unknown as { toBase64?: () => string }).toBase64;
  if (native) return native.call(bytes);
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
