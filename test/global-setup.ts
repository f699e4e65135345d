// Builds the CLI before the tests when its sources are newer than dist/, so subprocess tests run
// the same dist/ that the package's bin entries point at (npm ci builds it; this keeps local runs
// fresh). An up-to-date dist/ is used as it is, so the unit tier also runs as a user who may read
// the checkout but not write it.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const BUILT = join(ROOT, 'dist/cli/bin/heat-record.js');
const SOURCES = ['cli', 'schemas', 'test/bench', 'tsconfig.json'];

export default function setup(): void {
  if (
    existsSync(BUILT) &&
    statSync(BUILT).mtimeMs >= newestMtime(SOURCES.map((s) => join(ROOT, s)))
  )
    return;
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
}

/** The newest modification time of the files below these paths. */
function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    const s = statSync(path);
    newest = Math.max(
      newest,
      s.isDirectory() ? newestMtime(readdirSync(path).map((name) => join(path, name))) : s.mtimeMs,
    );
  }
  return newest;
}
