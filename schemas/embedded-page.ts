// How a recording sits inside a single-file viewer page, written by `heat-record export --html`
// (cli/share/html-export.ts) and by the viewer's "export this window" (viewer/src/share/), read by
// the page itself (viewer/src/load/embedded-recording.ts):
//   <script type="application/gzip" id="heat-recording" data-name="run.db" data-size="295432192">H4sI…
//   H4sI…</script>
// The recording is gzipped in blocks of EMBED_BLOCK bytes, each block its own gzip member in
// base64 on a line of its own, so the page can read a large recording in parts like a file. A
// page with one line and no data-size (written before blocks) holds the whole recording as one member.

export const EMBED_BLOCK = 1 << 20;

/** The id of the element holding the recording. */
export const EMBEDDED_RECORDING_ID = 'heat-recording';

/**
 * Where a recording goes in the single-file page: the comment the build keeps in <body>, or the
 * emptied element of a page that held one (a page exporting its own window reuses its source).
 */
const SLOT =
  /<!-- heat-recording\b[^>]*-->|<script type="application\/gzip" id="heat-recording"[^>]*><\/script>/;

/**
 * The page with the recording (its gzipped blocks in base64, `size` bytes in all) in its slot,
 * titled after the recording; null when the page has no slot.
 */
export function fillRecordingSlot(
  template: string,
  name: string,
  base64Blocks: string[],
  size: number,
): string | null {
  if (!SLOT.test(template)) return null;
  const safe = escapeHtml(name);
  const element = `<script type="application/gzip" id="${EMBEDDED_RECORDING_ID}" data-name="${safe}" data-size="${size}">${base64Blocks.join('\n')}</script>`;
  // Functions as replacements, so no "$&" in a name is ever expanded.
  return template
    .replace(/<title>[^<]*<\/title>/, () => `<title>${safe} · Heat Tracer</title>`)
    .replace(SLOT, () => element);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
