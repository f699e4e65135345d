// The single-file viewer page as text, to write new pages holding another recording ("export
// this window" as .html). The single-file page (heat-viewer.html, opened from file:// or
// anywhere) keeps its own source, taken at start-up before anything is mounted and after its
// recording was taken out; the normal viewer fetches heat-viewer.html from beside itself.

import { fillRecordingSlot } from '../../../schemas/embedded-page.js';
import { bytesToBase64 } from '../load/embedded-recording.js';

let ownSource: string | null = null;

/** True in the single-file build: its code is inline, there is no script file to load. */
function isSingleFilePage(doc: Document): boolean {
  return (
    doc.querySelector('script[type=module]:not([src])') !== null &&
    doc.querySelector('script[type=module][src]') === null
  );
}

/** Keeps this page's own HTML if it is the single-file build. Call before mounting the app. */
export function rememberPageSource(doc: Document = document): void {
  if (isSingleFilePage(doc)) ownSource = `<!doctype html>\n${doc.documentElement.outerHTML}`;
}

/** The single-file page to fill: this page's own source, or heat-viewer.html beside the viewer. */
export async function pageTemplate(): Promise<string> {
  if (ownSource) return ownSource;
  const response = await fetch('heat-viewer.html');
  if (!response.ok)
    throw new Error(
      `the single-file viewer heat-viewer.html is not beside this page (HTTP ${response.status})`,
    );
  return response.text();
}

/** The template holding a recording (`size` bytes, gzipped in blocks), titled after it. */
export function fillPage(
  template: string,
  name: string,
  blocks: Uint8Array[],
  size: number,
): string {
  const page = fillRecordingSlot(template, name, blocks.map(bytesToBase64), size);
  if (page === null) throw new Error('the single-file viewer page has no place for a recording');
  return page;
}
