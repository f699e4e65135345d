// A copy of a recording in progress goes only where it leaves room: beside the recording it could
// otherwise fill the disk the recorder is writing to. As root (mounts a small tmpfs).

import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotFolders } from '../../cli/serve/live-snapshot.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

describe('snapshotFolders', () => {
  const mount = tmp('small-fs');
  mkdirSync(mount);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mount]);
  afterAll(() => execFileSync('umount', ['--lazy', mount]));

  it("skips the recording's own file system when a copy would leave it without headroom", () => {
    const folders = snapshotFolders(join(mount, 'run.db'), 12 * 1024 * 1024);
    expect(folders).not.toContain(mount);
    expect(folders).toEqual([tmpdir()]); // the temp folder of CI's disk has room
  });

  it('puts the copy beside the recording when that file system has room', () => {
    const path = tmp('run.db');
    expect(snapshotFolders(path, 12 * 1024 * 1024)[0]).toBe(dirname(path));
    expect(snapshotFolders(path, Number.MAX_SAFE_INTEGER)).toEqual([]); // no room anywhere: copied in memory instead
  });
});
