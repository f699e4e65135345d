// "Save with marks": the whole open recording with the marks added in the viewer, as a file to
// keep or share: a recording (.db, the format heat-record writes, made as a clip of every second
// so it works for a file read in parts too) or the single-file page holding it (.html).

import type { NewMark } from '../../../schemas/marks.js';
import { gzipBlocks } from '../load/embedded-recording.js';
import { fileStem } from '../model/file-stem.js';
import type { Recording } from '../model/recording.js';
import { downloadBlob } from '../render/png-export.js';
import { fillPage, pageTemplate } from './page-template.js';

/** The file name of the annotated copy: "run-marked.db". */
export function annotatedFileName(recording: Recording, kind: 'db' | 'html'): string {
  return `${fileStem(recording.info.name)}-marked.${kind}`;
}

/** Builds the annotated copy and hands it to the browser as a download; returns its file name. */
export async function saveWithMarks(
  recording: Recording,
  marks: NewMark[],
  kind: 'db' | 'html',
): Promise<string> {
  const bytes = await recording.clip(recording.t0, recording.end, {
    command: 'heat viewer: save with marks',
    source: recording.info.name,
    marks,
  });
  if (!bytes) throw new Error('the recording holds no second to save');
  const name = annotatedFileName(recording, kind);
  if (kind === 'db')
    downloadBlob(new Blob([bytes as BlobPart], { type: 'application/vnd.sqlite3' }), name);
  else
    downloadBlob(
      new Blob(
        [
          fillPage(
            await pageTemplate(),
            annotatedFileName(recording, 'db'),
            await gzipBlocks(bytes),
            bytes.length,
          ),
        ],
        { type: 'text/html' },
      ),
      name,
    );
  return name;
}
