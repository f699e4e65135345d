// Looks a command up on PATH, as the shell would, without running it.

import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The absolute path of an executable named `command` on PATH, or null. */
export function findExecutable(command: string, path = process.env.PATH ?? ''): string | null {
  if (isAbsolute(command) || command.includes('/')) return isExecutable(command) ? command : null;
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir || '.', command);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
