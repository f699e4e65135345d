// Where a recording comes from -> Recording: a picked or dropped File, a URL, or the page itself
// (a single-file export). Each is opened in parts when it is large and can be (openInParts),
// else read whole; `bytesInHand` is called once a whole read has the file's bytes (the benchmark
// times the viewer's own work from there).

import {
  decodeEmbeddedRecording,
  embeddedByteSource,
  type EmbeddedRecording,
} from './embedded-recording.js';
import { openInParts, openRecording } from './open-recording.js';
import { BLOCK } from './paged-file.js';
import { fileByteSource, readFileBytes, urlByteSource } from './read-source.js';
import type { Recording } from '../model/recording.js';

type BytesInHand = () => void;
const nothing: BytesInHand = () => undefined;

/** @param inPartsFrom files at least this large are opened in parts */
export async function openFileRecording(
  file: File,
  inPartsFrom: number,
  bytesInHand = nothing,
): Promise<Recording> {
  const inParts =
    file.size >= inPartsFrom ? await openInParts(fileByteSource(file), file.name) : null;
  if (inParts) return inParts;
  const bytes = await readFileBytes(file);
  bytesInHand();
  return openRecording(bytes, file.name);
}

/**
 * In parts when the server answers range requests (heat-view does for a finished recording);
 * read whole otherwise, the rest of it asked for as the same version of the file.
 */
export async function openUrlRecording(
  url: string,
  name: string,
  inPartsFrom: number,
  bytesInHand = nothing,
): Promise<Recording> {
  const probe = await urlByteSource(url, name, BLOCK);
  if ('whole' in probe) {
    bytesInHand();
    return openRecording(probe.whole, name);
  }
  const { source, first } = probe;
  const inParts = source.size >= inPartsFrom ? await openInParts(source, name, first) : null;
  if (inParts) return withNote(inParts, source.note);
  const bytes = new Uint8Array(source.size);
  bytes.set(first);
  if (first.length < source.size)
    bytes.set(await source.read(first.length, source.size - first.length), first.length);
  bytesInHand();
  return openRecording(bytes, name);
}

/** A note on how the file is read goes with its health, where a person looks for what to trust. */
function withNote(recording: Recording, note: string | undefined): Recording {
  if (note) recording.info.health.unshift({ t: null, kind: 'warning', count: 1, message: note });
  return recording;
}

export async function openEmbeddedRecording(
  embedded: EmbeddedRecording,
  inPartsFrom: number,
  bytesInHand = nothing,
): Promise<Recording> {
  const source = (embedded.size ?? 0) >= inPartsFrom ? embeddedByteSource(embedded) : null;
  const inParts = source ? await openInParts(source, embedded.name) : null;
  if (inParts) return inParts;
  const bytes = await decodeEmbeddedRecording(embedded);
  bytesInHand();
  return openRecording(bytes, embedded.name);
}
