// What a recording looks like from outside: the size and modification time of the file and its
// WAL. Any commit changes it, and a stat is far cheaper than a query.

import { statSync } from 'node:fs';

export function fileStamp(path: string): string {
  return [path, `${path}-wal`]
    .map((p) => {
      try {
        const s = statSync(p);
        return `${s.size}:${s.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}
