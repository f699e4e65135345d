// heat-record export --html: one HTML file that is the whole viewer with the recording inside.
// The page is the single-file build of the viewer (dist/viewer/heat-viewer.html, made by
// `npm run build:viewer`); the recording goes in gzipped in 1 MiB blocks, as
// schemas/embedded-page.ts describes.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EMBED_BLOCK, fillRecordingSlot } from '../../schemas/embedded-page.js';
import { HeatError } from '../model/heat-error.js';
import { packagePath } from '../package-root.js';
import { snapshotRecording } from '../store/recording-image.js';
import { verifyRecording } from '../store/recording-reader.js';
import { checkWritableTarget, translateWriteError } from '../store/write-errors.js';

export interface HtmlExport {
  /** Bytes of the recording (a consistent snapshot), of it gzipped, and of the whole page. */
  recordingBytes: number;
  gzippedBytes: number;
  htmlBytes: number;
  /** What the page adds over the gzipped recording alone (viewer, WASM, base64). */
  overheadBytes: number;
}

/** The single-file viewer page, or a HeatError saying how to build it. */
export function readPageTemplate(path = packagePath('dist/viewer/heat-viewer.html')): string {
  if (!existsSync(path))
    throw new HeatError(
      `the single-file viewer ${path} is missing`,
      'build it with npm run build:viewer',
    );
  return readFileSync(path, 'utf8');
}

/** Called with the bytes done of the total, e.g. after each gzipped block. */
export type ByteProgress = (doneBytes: number, totalBytes: number) => void;

/** The recording as gzip members of EMBED_BLOCK bytes each (the last one shorter). */
export function gzipBlocks(bytes: Uint8Array, onBlock: ByteProgress = () => {}): Buffer[] {
  const blocks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += EMBED_BLOCK) {
    blocks.push(gzipSync(bytes.subarray(at, at + EMBED_BLOCK)));
    onBlock(Math.min(at + EMBED_BLOCK, bytes.length), bytes.length);
  }
  return blocks;
}

/** The page with a recording (gzipped blocks of it, `size` bytes in all) in its slot, titled after the recording. */
export function fillPage(
  template: string,
  name: string,
  blocks: Uint8Array[],
  size: number,
): string {
  const page = fillRecordingSlot(
    template,
    name,
    blocks.map((b) => Buffer.from(b).toString('base64')),
    size,
  );
  if (page === null)
    throw new HeatError(
      'the single-file viewer has no place for a recording (no <!-- heat-recording --> comment)',
      'rebuild it with npm run build:viewer',
    );
  return page;
}

/** Writes `output`: the viewer page holding the recording at `input`; `onBlock` follows the gzipping, most of the time. */
export function exportHtml(
  input: string,
  output: string,
  force: boolean,
  template = readPageTemplate(),
  onBlock?: ByteProgress,
): HtmlExport {
  verifyRecording(input); // a one-line error for anything that is not a whole, readable recording
  checkWritableTarget(output, force);
  const bytes = snapshotRecording(input);
  const blocks = gzipBlocks(bytes, onBlock);
  const html = Buffer.from(fillPage(template, basename(input), blocks, bytes.length), 'utf8');
  try {
    writeFileSync(output, html);
  } catch (err) {
    throw translateWriteError(err, output);
  }
  const gzippedBytes = blocks.reduce((n, b) => n + b.length, 0);
  return {
    recordingBytes: bytes.length,
    gzippedBytes,
    htmlBytes: html.length,
    overheadBytes: html.length - gzippedBytes,
  };
}
