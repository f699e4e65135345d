// What is being compared: side A, a window pinned from the map (of the open recording, with the
// keys shown then), and side B, either the map's current view (two windows of one recording:
// pan the map to move B) or another recording opened for it, aligned on relative time (B starts
// as far into its recording as A is into its own). Both sides span A's length.

import { openFileRecording } from '../load/open-source.js';
import { asRecordingError, type RecordingError } from '../load/recording-error.js';
import { ALL_KEYS, type KeySelection } from '../model/key-selection.js';
import { DIFF_MODES, type DiffMode } from '../model/diff-model.js';
import type { Recording } from '../model/recording.js';
import { followRecording } from './recording-events.js';
import type { ViewerState } from './viewer-state.svelte.js';

export interface CompareSide {
  recording: Recording;
  selection: KeySelection;
  /** Seconds [from, to) of the recording. */
  from: number;
  to: number;
}

export class CompareState {
  /** Side A: pinned when comparing starts, or with "Pin view as A". */
  a = $state.raw<CompareSide | null>(null);
  /** Another recording for side B; null: B is the map's current view. */
  other = $state.raw<Recording | null>(null);
  mode = $state<DiffMode>('log-ratio');
  /** Why B's file could not be opened, or why part of it could not be read (shown as a banner). */
  error = $state.raw<RecordingError | null>(null);
  loading = $state(false);
  /** Bumped when more of B's recording can be drawn (a file opened in parts). */
  detailVersion = $state(0);
  /** Stops following B's recording. */
  private unfollow: () => void = () => undefined;

  constructor(private readonly viewer: ViewerState) {}

  /** Side B: the same span as A, from the map's view or the other recording. */
  get b(): CompareSide | null {
    const a = this.a;
    const rec = this.viewer.recording;
    if (!a || !rec) return null;
    const span = a.to - a.from;
    if (!this.other) {
      const from = Math.round(this.viewer.window.start);
      return { recording: rec, selection: this.viewer.selection, from, to: from + span };
    }
    const from = this.other.t0 + (a.from - a.recording.t0);
    return { recording: this.other, selection: ALL_KEYS, from, to: from + span };
  }

  /** Starts comparing: the current view becomes side A. */
  pinView(): void {
    const rec = this.viewer.recording;
    if (!rec) return;
    const from = Math.round(this.viewer.window.start);
    this.a = {
      recording: rec,
      selection: this.viewer.selection,
      from,
      to: Math.max(from + 1, Math.round(this.viewer.window.end)),
    };
  }

  /** Opens another recording as side B. */
  async openOther(file: File): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const other = await openFileRecording(file, this.viewer.inPartsFrom);
      this.setOther(other);
    } catch (err) {
      this.error = asRecordingError(err, file.name);
    } finally {
      this.loading = false;
    }
  }

  /** B follows the map's view again. */
  useView(): void {
    this.setOther(null);
  }

  setMode(mode: string): void {
    if ((DIFF_MODES as readonly string[]).includes(mode)) this.mode = mode as DiffMode;
  }

  close(): void {
    this.a = null;
    this.setOther(null);
    this.error = null;
  }

  dismissError(): void {
    this.error = null;
  }

  /** B's recording, followed while it is B: its parts arriving redraw, its read failures show. */
  private setOther(other: Recording | null): void {
    this.unfollow();
    this.unfollow = other
      ? followRecording(other, {
          detail: () => this.detailVersion++,
          failed: (err) => (this.error = err),
        })
      : () => undefined;
    this.other = other;
  }
}
