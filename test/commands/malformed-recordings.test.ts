// Every command that reads a recording, run as a user runs it, on a corpus of malformed
// recordings (test/helpers/malformed-recordings.ts: one SQL or byte mutation of a real synthetic
// recording per class): no internal error (exit 70, a stack trace), no hang, and every refusal
// is one line naming the file. A mutant that is not a readable recording is refused by `info`
// and `export --html`, which read all of it. Also: a closed pipe ends export quietly (item 10)
// and info escapes terminal control sequences (item 9).

import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  finished,
  HEAT_RECORD,
  HEAT_VIEW,
  runCli,
  startCli,
  type CliResult,
} from '../helpers/cli.js';
import { MUTATIONS, writeMalformedRecordings } from '../helpers/malformed-recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir('heat-malformed-');
const good = tmp('good.db');
/** Long enough that its export cannot sit whole in a pipe's buffer. */
const big = tmp('big.db');
let corpus: Map<string, string>;

/** Commands that read a recording; `f` is the mutant, `out` a name of its own for what a command writes. */
const COMMANDS: Record<string, (f: string, out: (ext: string) => string) => string[]> = {
  info: (f) => ['info', f],
  'info --json': (f) => ['info', '--json', f],
  'export csv': (f) => ['export', f, '--format', 'csv'],
  'export json': (f) => ['export', f, '--format', 'json', '--from', '0', '--to', '1h'],
  'export --html': (f, out) => ['export', f, '--html', out('html')],
  clip: (f, out) => ['clip', f, '--from', '2', '--to', '20', '-f', '-o', out('clip.db')],
  merge: (f, out) => ['merge', good, f, '-f', '-o', out('merge.db')],
};

beforeAll(async () => {
  const made = await runCli([
    '-o',
    good,
    '--tracer',
    'synthetic',
    '--fast',
    '--duration',
    '40s',
    '-q',
  ]);
  expect(made.code, made.stderr).toBe(0);
  const bigMade = await runCli([
    '-o',
    big,
    '--tracer',
    'synthetic',
    '--fast',
    '--duration',
    '30m',
    '-q',
  ]);
  expect(bigMade.code, bigMade.stderr).toBe(0);
  corpus = writeMalformedRecordings(good, tmp(''));
});

/** What is wrong with one run, or null: exit 0, or 1 with one stderr line naming the file. */
function problem(r: CliResult, file: string): string | null {
  if (
    r.code === 70 ||
    (r.code === null && r.signal !== 'SIGINT') ||
    /\n\s+at |unexpected error/.test(r.stderr)
  )
    return `internal error (exit ${r.code}): ${r.stderr.slice(0, 300)}`;
  if (r.code === 0 || r.signal === 'SIGINT') return null;
  const lines = r.stderr.trim().split('\n');
  if (r.code !== 1 || lines.length !== 1 || !lines[0]!.includes(file))
    return `refusal is not one line naming the file (exit ${r.code}): ${r.stderr.slice(0, 300)}`;
  return null;
}

/** Runs jobs two at a time (the machine has two cores). */
async function pooled<T>(jobs: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

describe('every command on every malformed recording', () => {
  /** Mutants that are not a readable recording: what reads the whole file must refuse them. */
  const unreadable = new Set(MUTATIONS.filter((m) => !m.readable).map((m) => m.name));
  const readsEverything = new Set(['info', 'export --html']);

  for (const [command, args] of Object.entries(COMMANDS)) {
    it(`${command}: answers without an internal error, refusing in one line naming the file`, async () => {
      const results = await pooled(
        [...corpus].map(([name, file]) => async () => ({
          name,
          file,
          result: await runCli(args(file, (ext) => `${file}.${ext}`)),
        })),
      );
      expect(
        results
          .map((r) => ({ at: r.name, problem: problem(r.result, r.file) }))
          .filter((f) => f.problem),
      ).toEqual([]);
      if (readsEverything.has(command))
        expect(
          results.filter((r) => unreadable.has(r.name) && r.result.code === 0).map((r) => r.name),
        ).toEqual([]);
    });
  }

  it('heat-view refuses what cannot be opened in one line and serves the rest', async () => {
    const results = await pooled(
      [...corpus].map(([name, file]) => async () => ({ name, file, result: await viewOnce(file) })),
    );
    const failures = results
      .map((r) => ({ at: r.name, problem: problem(r.result, r.file) }))
      .filter((f) => f.problem);
    expect(failures).toEqual([]);
  });
});

/** Starts heat-view on a file; once it serves, stops it with SIGINT (a refusal exits by itself). */
async function viewOnce(file: string): Promise<CliResult> {
  const child = startCli([file, '--no-open', '--port', '0'], { bin: HEAT_VIEW });
  child.stdout!.on('data', (d: Buffer) => {
    if (d.toString().includes('serving')) child.kill('SIGINT');
  });
  return finished(child);
}

describe('output cut short and hostile text', () => {
  it('export to a pipe closed after two lines ends quietly with exit 0, as csv and as json', async () => {
    for (const format of ['csv', 'json']) {
      // `export … | head -2` in a shell, so head closes heat-record's own stdout.
      const line = `"$0" "$1" export "$2" --format ${format} 2>"$3" | head -2 >/dev/null; echo "\${PIPESTATUS[0]}"; cat "$3"`;
      const shell = spawn(
        'bash',
        ['-c', line, process.execPath, HEAT_RECORD, big, tmp('stderr.txt')],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const result = await finished(shell);
      expect(result.stdout, format).toBe('0\n');
    }
  });

  it('info shows escape sequences from the recording as text, never sends them', async () => {
    for (const name of ['meta-escapes', 'key-escapes', 'health-escapes']) {
      const result = await runCli(['info', corpus.get(name)!]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      const json = await runCli(['info', '--json', corpus.get(name)!]);
      expect(json.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
    expect((await runCli(['info', corpus.get('key-escapes')!])).stdout).toContain(
      '\\u001b[2J\\u001b]0;owned\\u0007',
    );
  });
});
