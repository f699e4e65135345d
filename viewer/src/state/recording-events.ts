// An open recording's events as the state showing it wants them: detail that can be drawn now,
// and failures and notes after the read that raised them (reads run inside derived values and
// frames, where Svelte state must not change), each failure as a RecordingError naming the file.

import { asRecordingError, type RecordingError } from '../load/recording-error.js';
import type { Recording } from '../model/recording.js';

export interface RecordingHandlers {
  /** Counts read in the background can be drawn. */
  detail(): void;
  /** Part of the file could not be read, or is damaged. */
  failed(err: RecordingError): void;
  /** A note was added to the recording's health list. */
  note?(): void;
}

/** Follows a recording's events until the returned function is called (nothing arrives after). */
export function followRecording(recording: Recording, on: RecordingHandlers): () => void {
  let following = true;
  const later = (call: () => void) => queueMicrotask(() => following && call());
  const stops = [
    recording.detailArrived.subscribe(() => on.detail()),
    recording.readFailed.subscribe((err) =>
      later(() => on.failed(asRecordingError(err, recording.info.name))),
    ),
    recording.noteAdded.subscribe(() => later(() => on.note?.())),
  ];
  return () => {
    following = false;
    for (const stop of stops) stop();
  };
}
