// heat-record clip of recordings that never wrote their end (kill -9 leaves status "recording"):
// the clip says it is incomplete, and an empty one is refused in plain words.

import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SyntheticGenerator } from '../../cli/tracers/synthetic.js';
import { runCli } from '../helpers/cli.js';
import { openRecording, snapshot } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

/** A recording of `seconds` seconds left as a kill -9 leaves it: no end, status "recording". */
function writeKilledRecording(path: string, seconds: number): void {
  const writer = openRecording(path);
  const generator = new SyntheticGenerator({ keys: 3 });
  for (let t = 0; t < seconds; t++) writer.append(snapshot(t, generator.second(t)));
  writer.close();
}

function metaOf(path: string): Record<string, string> {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(
      (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map(
        (r) => [r.key, r.value],
      ),
    );
  } finally {
    db.close();
  }
}

describe('heat-record clip of an unfinished recording', () => {
  it('marks the clip incomplete, not complete', async () => {
    const source = tmp('killed.db');
    writeKilledRecording(source, 30);
    expect(metaOf(source).status).toBe('recording');
    const out = tmp('killed-clip.db');
    const result = await runCli(['clip', source, '--from', '5', '--to', '20', '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(metaOf(out).status).toBe('incomplete');
  });

  it('refuses a recording with no seconds in one line, without a 2^53 in it', async () => {
    const source = tmp('empty.db');
    writeKilledRecording(source, 0);
    const out = tmp('empty-clip.db');
    const result = await runCli(['clip', source, '-o', out]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^heat-record: .*empty\.db holds no seconds: there is nothing to clip/,
    );
    expect(result.stderr).not.toMatch(/9007199254740991/);
    expect(existsSync(out)).toBe(false);
  });

  it('says "from N s on" for a window past the end with --to left open', async () => {
    const source = tmp('short.db');
    writeKilledRecording(source, 5);
    const result = await runCli(['clip', source, '--from', '100', '-o', tmp('past-clip.db')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/has no seconds from 100 s on/);
    expect(result.stderr).not.toMatch(/9007199254740991/);
  });
});
