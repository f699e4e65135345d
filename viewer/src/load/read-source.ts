// Where a recording's bytes come from: a picked or dropped File, or a URL (?url=). Failures
// become RecordingErrors naming the file, like a bad file does.

import { RecordingError } from './recording-error.js';

export async function readFileBytes(file: File): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.arrayBuffer());
  } catch (err) {
    throw new RecordingError(file.name, 'unreadable', `the browser could not read the file (${(err as Error).message})`);
  }
}

/** Fetches a recording; a relative URL is resolved against the page. */
export async function fetchBytes(url: string, name = nameOfUrl(url)): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new RecordingError(name, 'unreadable', `could not fetch ${url} (${(err as Error).message})`);
  }
  if (!response.ok) throw new RecordingError(name, 'unreadable', `could not fetch ${url}: HTTP ${response.status} ${response.statusText}`.trim());
  return new Uint8Array(await response.arrayBuffer());
}

/** The last path segment of a URL, for titles: "runs/app.db?x" -> "app.db". */
export function nameOfUrl(url: string): string {
  const path = url.split(/[?#]/)[0] ?? url;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || url;
}
