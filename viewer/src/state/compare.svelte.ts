// What is being compared: side A, a window pinned from the map (of the open recording, with the
// keys shown then), and side B, either the map's current view (two windows of one recording:
// pan the map to move B) or another recording opened for it and followed while it is B (its
// parts arriving redraw, its read failures show). The sides' rules: model/compare-sides.ts.

import { openFileRecording } from '../load/open-source.js';
import { asRecordingError, type RecordingError } from '../load/recording-error.js';
import { pinnedSide, sideB, type CompareSide, type MapView } from '../model/compare-sides.js';
import { DIFF_MODES, type DiffMode } from '../model/diff-model.js';
import type { Recording } from '../model/recording.js';
import { followRecording } from './recording-events.js';
import type { ViewerState } from './viewer-state.svelte.js';

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
    const view = this.mapView();
    return this.a && view ? sideB(this.a, view, this.other) : null;
  }

  /** Starts comparing: the current view becomes side A. */
  pinView(): void {
    const view = this.mapView();
    if (view) this.a = pinnedSide(view);
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

  private mapView(): MapView | null {
    const { recording, selection, window } = this.viewer;
    return recording ? { recording, selection, window } : null;
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
