// A recording file as the viewer's ByteSource in Node: positioned reads, counting the reads and
// bytes, so a test can see how much of a file opening it in parts touched.

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { ByteSource } from '../../../viewer/src/load/paged-file.js';

/** The file through positioned reads, counting what was read. */
export function fileSource(file: string): ByteSource & { reads: number; bytes: number } {
  const source = {
    size: statSync(file).size,
    reads: 0,
    bytes: 0,
    async read(offset: number, length: number) {
      const out = new Uint8Array(length);
      const fd = openSync(file, 'r');
      try {
        readSync(fd, out, 0, length, offset);
      } finally {
        closeSync(fd);
      }
      source.reads++;
      source.bytes += length;
      return out;
    },
  };
  return source;
}
