// Finds files shipped with the package (schemas/, the built viewer) from both the TypeScript
// sources (cli/*.ts under vitest) and the compiled output (dist/cli/*.js).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The folder holding package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir)
      throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  root = dir;
  return dir;
}

/** An absolute path to a file inside the package. */
export function packagePath(relative: string): string {
  return join(packageRoot(), relative);
}

/** heat-record's own version, from package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string })
    .version;
}
