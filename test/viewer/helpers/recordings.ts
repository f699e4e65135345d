// Recordings for the viewer's tests, made the way users make them: `heat-record --tracer
// synthetic` for real runs (hand-made edge cases are written by ../../helpers/recordings.ts), and
// bad files (empty, not SQLite, not a recording, newer, cut short).

import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { record } from '../../../cli/record/recorder.js';
import { SyntheticTracer, syntheticScript } from '../../../cli/tracers/synthetic.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface SyntheticRun {
  seconds: number;
  keys: number;
  seed?: number;
}

/**
 * Records a synthetic run with the heat-record CLI. While the CLI cannot load yet (a tracer it
 * imports is still being written), the same recorder is driven in-process instead.
 */
export async function recordSynthetic(
  path: string,
  run: SyntheticRun,
): Promise<'cli' | 'in-process'> {
  const args = [
    'tsx',
    'cli/bin/heat-record.ts',
    'record',
    '--tracer',
    'synthetic',
    '--fast',
    '--duration',
    String(run.seconds),
    '--keys',
    String(run.keys),
    '--seed',
    String(run.seed ?? 1),
    '-o',
    path,
    '-f',
    '-q',
  ];
  const cli = spawnSync('npx', args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  if (cli.status === 0) return 'cli';
  if (!/ERR_MODULE_NOT_FOUND|Cannot find module/.test(cli.stderr))
    throw new Error(`heat-record failed: ${cli.stderr}`);
  const options = { seed: run.seed ?? 1, keys: run.keys, fast: true };
  await record({
    output: path,
    force: true,
    tracer: new SyntheticTracer(options),
    durationS: run.seconds,
    program: { preset: 'synthetic', unit: 'us', text: syntheticScript(options) },
    commandLine: [
      'heat-record',
      '--tracer',
      'synthetic',
      '--fast',
      '--duration',
      String(run.seconds),
    ],
  });
  return 'in-process';
}

/** The bad files the viewer must refuse with a banner, by problem. */
export function writeBadFiles(dir: string, goodRecording: string): Record<string, string> {
  const files = {
    empty: join(dir, 'empty.db'),
    notSqlite: join(dir, 'notes.db'),
    notRecording: join(dir, 'other-app.db'),
    newer: join(dir, 'from-the-future.db'),
    truncated: join(dir, 'cut-short.db'),
  };
  for (const file of Object.values(files)) rmSync(file, { force: true });
  writeFileSync(files.empty, '');
  writeFileSync(files.notSqlite, 'time,latency\n1,2\n'.repeat(200));
  const other = new Database(files.notRecording);
  other.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
  other.close();
  const good = readFileSync(goodRecording);
  writeFileSync(files.truncated, good.subarray(0, Math.floor(good.length / 2) + 123));
  writeFileSync(files.newer, good);
  const newer = new Database(files.newer);
  newer.pragma('user_version = 2');
  newer.close();
  return files;
}
