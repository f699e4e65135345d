// A recording carried inside the page itself: the single-file viewer (heat-viewer.html) that
// `heat-record export --html` and "export this window" write holds the recording gzipped in
// blocks (layout: schemas/embedded-page.ts). It is taken out of the document at start-up (the
// element emptied); a large one is then read in parts, a block gunzipped when SQLite first needs
// it, like a file (see paged-file.ts). Older pages hold one member and no size: read whole.

import { EMBED_BLOCK, EMBEDDED_RECORDING_ID } from '../../../schemas/embedded-page.js';
import type { ByteSource } from './paged-file.js';
import { RecordingError } from './recording-error.js';

export interface EmbeddedRecording {
  name: string;
  /** The gzipped blocks, base64, one per line. */
  base64: string;
  /** The recording's size in bytes, when the page says (blocks of EMBED_BLOCK); null: one member. */
  size: number | null;
}

/** Takes the page's embedded recording out of the document, or null when it has none. */
export function takeEmbeddedRecording(doc: Document = document): EmbeddedRecording | null {
  const element = doc.getElementById(EMBEDDED_RECORDING_ID);
  const base64 = element?.textContent?.trim() ?? '';
  if (!element || base64 === '') return null;
  element.textContent = '';
  const size = Number(element.dataset.size);
  return {
    name: element.dataset.name || 'recording.db',
    base64,
    size: Number.isSafeInteger(size) && size > 0 ? size : null,
  };
}

/** The base64 lines: one gzip member each. */
function members(embedded: EmbeddedRecording): string[] {
  return embedded.base64
    .split('\n')
    .map((m) => m.trim())
    .filter((m) => m !== '');
}

/**
 * base64 text -> gunzipped bytes (DecompressionStream, so no library is needed), every block.
 * The text is dropped from `embedded` once decoded: for a day-long recording it is over 100 MB.
 */
export async function decodeEmbeddedRecording(embedded: EmbeddedRecording): Promise<Uint8Array> {
  try {
    const parts = members(embedded);
    embedded.base64 = '';
    const blocks: Uint8Array[] = [];
    for (const part of parts) blocks.push(await gunzip(base64ToBytes(part)));
    if (blocks.length === 1) return blocks[0]!;
    const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of blocks) {
      out.set(b, at);
      at += b.length;
    }
    return out;
  } catch (err) {
    throw new RecordingError(
      embedded.name,
      'truncated',
      `the recording inside this page is damaged (${(err as Error).message})`,
    );
  }
}

/**
 * The embedded recording as a file read in parts: a read gunzips the blocks it spans (the last
 * few kept, as reads come in runs). Null for a page holding one member (an older page).
 */
export function embeddedByteSource(embedded: EmbeddedRecording): ByteSource | null {
  const parts = members(embedded);
  const size = embedded.size;
  if (size === null || parts.length !== Math.ceil(size / EMBED_BLOCK)) return null;
  const decoded = new Map<number, Promise<Uint8Array>>();
  const block = (i: number): Promise<Uint8Array> => {
    let b = decoded.get(i);
    if (!b) {
      b = gunzip(base64ToBytes(parts[i]!)).catch((err: unknown) => {
        throw new RecordingError(
          embedded.name,
          'truncated',
          `the recording inside this page is damaged (${(err as Error).message})`,
        );
      });
      decoded.set(i, b);
      if (decoded.size > 4) decoded.delete(decoded.keys().next().value!);
    }
    return b;
  };
  return {
    size,
    async read(offset, length) {
      const out = new Uint8Array(length);
      const first = Math.floor(offset / EMBED_BLOCK);
      const last = Math.floor((offset + length - 1) / EMBED_BLOCK);
      for (let i = first; i <= last; i++) {
        const bytes = await block(i);
        const from = Math.max(offset, i * EMBED_BLOCK);
        const to = Math.min(offset + length, i * EMBED_BLOCK + bytes.length);
        out.set(bytes.subarray(from - i * EMBED_BLOCK, to - i * EMBED_BLOCK), from - offset);
      }
      return out;
    },
  };
}

async function gunzip(gzipped: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([gzipped as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Gzips bytes in blocks of EMBED_BLOCK (CompressionStream), for pages this viewer writes itself. */
export async function gzipBlocks(bytes: Uint8Array): Promise<Uint8Array[]> {
  const blocks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += EMBED_BLOCK) {
    const stream = new Blob([bytes.subarray(at, at + EMBED_BLOCK) as BlobPart])
      .stream()
      .pipeThrough(new CompressionStream('gzip'));
    blocks.push(new Uint8Array(await new Response(stream).arrayBuffer()));
  }
  return blocks;
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
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
