// kill -9 while a finished recording is being compacted (compact-recording.ts) leaves its hidden
// copy, as big as the recording; the next recording written into that folder removes it.

import { watch } from 'node:fs';
import { mkdirSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { finished, runCli, startCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const COMPACT_COPY = /^\..*\.compact-\d+$/;

/** Resolves with the name of the first compaction copy created in dir. */
function compactionStarts(dir: string): Promise<string> {
  return new Promise((resolve) => {
    const watcher = watch(dir, (_event, name) => {
      if (name && COMPACT_COPY.test(name)) {
        watcher.close();
        resolve(name);
      }
    });
  });
}

describe('kill -9 during the end-of-recording compaction', () => {
  it('leaves a copy that the next recording in the folder removes', async () => {
    const dir = tmp('compacting');
    mkdirSync(dir);
    const starts = compactionStarts(dir);
    // 3 h x 40 keys: a ~37 MB file, so VACUUM INTO takes long enough to be caught in the act.
    const child = startCli([
      '-o',
      `${dir}/big.db`,
      '--tracer',
      'synthetic',
      '--fast',
      '-d',
      '3h',
      '--keys',
      '40',
      '--quiet',
    ]);
    const done = finished(child);
    const copy = await starts;
    child.kill('SIGKILL');
    await done;
    expect(readdirSync(dir)).toContain(copy); // the kill came before the copy was renamed into place

    const next = await runCli([
      '-o',
      `${dir}/next.db`,
      '--tracer',
      'synthetic',
      '--fast',
      '-d',
      '10s',
      '--quiet',
    ]);
    expect(next.code, next.stderr).toBe(0);
    expect(readdirSync(dir).filter((name) => COMPACT_COPY.test(name))).toEqual([]);
  }, 120_000);
});
