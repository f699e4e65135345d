// The first bytes of a file, for telling what it is before SQLite opens it.

import { closeSync, openSync, readSync } from 'node:fs';

/** Up to `length` bytes from the start of the file (fewer if it is shorter). */
export function readFileHeader(path: string, length: number): Buffer {
  const header = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    const read = readSync(fd, header, 0, length, 0);
    return header.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
