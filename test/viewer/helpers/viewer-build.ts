// Builds the viewer (npm run build:viewer: the viewer and its single-file page) when dist/viewer
// is missing either or is older than any of its sources, once even when several test files ask
// at the same time (a lock directory).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './recordings.js';

export const VIEWER_DIST = join(REPO_ROOT, 'dist/viewer');
const LOCK = join(REPO_ROOT, 'dist/.viewer-build.lock');
const SOURCES = ['viewer', 'schemas'].map((d) => join(REPO_ROOT, d));

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Both builds are there and newer than every source: the viewer and the single-file page. */
function isFresh(): boolean {
  const newest = Math.max(...SOURCES.map(newestMtime));
  return ['index.html', 'heat-viewer.html']
    .map((f) => join(VIEWER_DIST, f))
    .every((f) => existsSync(f) && statSync(f).mtimeMs >= newest);
}

/** Makes sure dist/viewer is built from the current sources. */
export async function ensureViewerBuilt(): Promise<string> {
  for (let waited = 0; !isFresh(); waited += 250) {
    if (tryLock()) {
      try {
        if (!isFresh())
          execFileSync('npm', ['run', '--silent', 'build:viewer'], {
            cwd: REPO_ROOT,
            stdio: 'pipe',
          });
      } finally {
        rmdirSync(LOCK);
      }
      break;
    }
    if (waited > 120_000)
      throw new Error(`another build holds ${LOCK} for over 2 minutes; remove it if stale`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return VIEWER_DIST;
}

function tryLock(): boolean {
  try {
    mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
    mkdirSync(LOCK);
    return true;
  } catch {
    return false;
  }
}
