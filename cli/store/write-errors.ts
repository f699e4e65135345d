// Turns file-system and SQLite failures into one line that names the file and says what to do.

import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HeatError } from '../model/heat-error.js';

/** Refuses an output path that exists (without force), is a directory, or sits in a folder we cannot write. */
export function checkWritableTarget(path: string, force: boolean): void {
  if (existsSync(path)) {
    if (statSync(path).isDirectory())
      throw new HeatError(`output ${path} is a directory`, 'give a file name, e.g. -o run.db');
    if (!force)
      throw new HeatError(
        `output ${path} already exists`,
        'choose another name, or add --force to replace it',
      );
  }
  const dir = dirname(resolve(path));
  if (!existsSync(dir))
    throw new HeatError(
      `cannot write ${path}: folder ${dir} does not exist`,
      'create it first or choose another -o path',
    );
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new HeatError(
      `cannot write ${path}: folder ${dir} is not writable`,
      'choose a folder you can write to, or run with sudo',
    );
  }
}

/** Maps an error thrown while writing to a HeatError with a hint; other errors pass through. */
export function translateWriteError(err: unknown, path: string): unknown {
  if (err instanceof HeatError) return err;
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new HeatError(
      `cannot write ${path}: the disk is full`,
      'free some space; every second committed so far is kept in the file',
    );
  }
  if (
    code.startsWith('SQLITE_READONLY') ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS'
  ) {
    return new HeatError(
      `cannot write ${path}: permission denied or read-only file system`,
      'choose another -o path',
    );
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return new HeatError(
      `cannot write ${path}: I/O error (${code})`,
      'check the disk; every second committed so far is kept in the file',
    );
  }
  if (code === 'SQLITE_CANTOPEN') {
    return new HeatError(
      `cannot open ${path} for writing`,
      'check the path and its folder permissions',
    );
  }
  return err;
}
