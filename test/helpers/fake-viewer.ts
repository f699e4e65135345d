// A stand-in for the built viewer (one index.html), for server tests that do not open a page.

import { mkdirSync, writeFileSync } from 'node:fs';

/** Writes the stand-in into `dir` and returns it, as startViewerServer's viewerRoot. */
export function fakeViewer(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/index.html`, '<!doctype html>');
  return dir;
}
