// "Export this window": the seconds on screen as a file to share, either a recording (.db, the
// same format heat-record writes, seconds renumbered from 0, rollups rebuilt) or the single-file
// viewer page holding that recording (.html, like `heat-record export --html`).

import { gzipBlocks } from '../load/embedded-recording.js';
import { fileStem } from '../model/file-stem.js';
import type { Recording } from '../model/recording.js';
import type { ViewWindow } from '../model/view-window.js';
import { downloadBlob } from '../render/png-export.js';
import { fillPage, pageTemplate } from './page-template.js';

export type WindowExportKind = 'db' | 'html';

/** The whole seconds a window shows, inside the recording. */
export function windowSeconds(recording: Recording, w: ViewWindow): { from: number; to: number } {
  return {
    from: Math.max(recording.t0, Math.floor(w.start)),
    to: Math.min(recording.end, Math.ceil(w.end)),
  };
}

/** The file name of a window's export: "run-120-480s.db". */
export function windowFileName(
  recording: Recording,
  from: number,
  to: number,
  kind: WindowExportKind,
): string {
  return `${fileStem(recording.info.name)}-${from}-${to}s.${kind}`;
}

/** Builds the file for the visible window and hands it to the browser as a download. */
export async function exportWindow(
  recording: Recording,
  w: ViewWindow,
  kind: WindowExportKind,
): Promise<void> {
  const { from, to } = windowSeconds(recording, w);
  const bytes = await recording.clip(from, to, {
    command: 'heat viewer: export window',
    source: recording.info.name,
  });
  if (!bytes) throw new Error('no second of this window was recorded');
  const name = windowFileName(recording, from, to, 'db');
  if (kind === 'db') {
    downloadBlob(new Blob([bytes as BlobPart], { type: 'application/vnd.sqlite3' }), name);
    return;
  }
  const page = fillPage(await pageTemplate(), name, await gzipBlocks(bytes), bytes.length);
  downloadBlob(
    new Blob([page], { type: 'text/html' }),
    windowFileName(recording, from, to, 'html'),
  );
}
