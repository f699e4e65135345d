// Marks added in the viewer to the open recording: shown at once (ViewerState.showMark, with
// negative ids so they never meet a file's), kept to be saved with the recording as a new file
// (share/annotated-copy.ts, called from the UI). Opening another recording forgets them.

import { markProblem, type Mark, type NewMark } from '../../../schemas/marks.js';
import type { Recording } from '../model/recording.js';
import type { ViewerState } from './viewer-state.svelte.js';

export class AddedMarks {
  /** Marks added to `recording` in this page, oldest first. */
  list = $state.raw<Mark[]>([]);
  /** The name of the last copy saved, or why saving failed. */
  saved = $state<string | null>(null);
  private recording: Recording | null = null;

  constructor(private readonly viewer: ViewerState) {}

  /** Adds a mark at `t` seconds of the open recording; returns what is wrong with it, or null. */
  add(t: number, text: string): string | null {
    const rec = this.current();
    if (!rec) return 'no recording is open';
    const mark: NewMark = {
      atMs: Math.round(rec.info.startMs + t * 1000),
      endMs: null,
      text: text.trim(),
      createdMs: Date.now(),
      source: 'viewer',
    };
    const problem = markProblem(mark);
    if (problem) return problem;
    const added = { id: -(this.list.length + 1), ...mark };
    this.list = [...this.list, added];
    this.viewer.showMark(added);
    return null;
  }

  /** The marks added, as a writer takes them (the file numbers them). */
  get newMarks(): NewMark[] {
    return this.list.map(({ id: _id, ...m }) => m);
  }

  /** The open recording; a different one than the marks were added to clears them. */
  current(): Recording | null {
    const rec = this.viewer.recording;
    if (rec !== this.recording) {
      this.recording = rec;
      this.list = [];
      this.saved = null;
    }
    return rec;
  }
}
