// heat-record mark: marks added while a synthetic recording runs in real time and afterwards (--at
// in each form, --from/--to), found again in info (text and --json), export --format json (CSV rows
// unchanged), a clip (only those inside its window), a merge (host before the text) and the
// recording inside an export --html page.

import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Mark } from '../../schemas/marks.js';
import { RecordingReader } from '../../cli/store/recording-reader.js';
import { finished, runCli, startCli, waitFor } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir('heat-mark-');
const run = tmp('run.db');
let startMs = 0;

function marksOf(path: string): Mark[] {
  const reader = RecordingReader.open(path);
  try {
    return reader.marks();
  } finally {
    reader.close();
  }
}

const ok = async (args: string[]) => {
  const r = await runCli(args);
  expect(r.stderr).not.toMatch(/unexpected error/);
  expect(r.code, r.stderr).toBe(0);
  return r;
};

const pad = (n: number) => String(n).padStart(2, '0');

/** The four marks, in time order: "deploy v2" (at now, once second 3 is in) and "by the clock" (second 5) may come either way round on a busy machine. */
function expectAllInTimeOrder(marks: { text: string; atMs: number }[]): void {
  expect(marks.map((m) => m.text).sort()).toEqual([
    'by the clock',
    'deploy v2',
    'later',
    'load test',
  ]);
  expect(marks.map((m) => m.atMs)).toEqual(marks.map((m) => m.atMs).sort((a, b) => a - b));
  expect(marks.slice(0, 2).map((m) => m.text)).toEqual(['load test', 'later']);
}

beforeAll(async () => {
  const recorder = startCli([
    '-o',
    run,
    '--tracer',
    'synthetic',
    '--duration',
    '6s',
    '--keys',
    '3',
    '-q',
  ]);
  const done = finished(recorder);
  await waitFor(
    () => {
      const reader = RecordingReader.open(run);
      try {
        startMs = reader.startMs;
        return (reader.lastSecond() ?? -1) >= 3;
      } finally {
        reader.close();
      }
    },
    30_000,
    'second 3 of the recording',
  );
  const live = await runCli(['mark', run, 'deploy v2']);
  expect(live.code, live.stderr).toBe(0);
  expect(live.stderr).toMatch(/^heat-record: marked .* at .* s after the start\): deploy v2\n$/);
  expect((await done).code).toBe(0);
  await ok(['mark', run, '--at', '2', 'later']);
  await ok(['mark', run, '--from', '1', '--to', '3.5', 'load test']);
  const at = new Date(startMs + 5000);
  await ok([
    'mark',
    run,
    '--at',
    `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`,
    'by the clock',
  ]);
}, 90_000);

describe('heat-record mark', () => {
  it('stores a mark added while recording at now, and afterwards at seconds, a span and a time of day', () => {
    const marks = marksOf(run);
    expectAllInTimeOrder(marks);
    const byText = new Map(marks.map((m) => [m.text, m]));
    expect(byText.get('deploy v2')!.atMs - startMs).toBeGreaterThanOrEqual(4000);
    expect(byText.get('deploy v2')!.atMs - startMs).toBeLessThan(7000);
    expect(byText.get('later')).toMatchObject({ atMs: startMs + 2000, endMs: null, source: 'cli' });
    expect(byText.get('load test')).toMatchObject({ atMs: startMs + 1000, endMs: startMs + 3500 });
    expect(byText.get('by the clock')!.atMs).toBe(Math.floor((startMs + 5000) / 1000) * 1000);
  });

  it('refuses bad text and times in one line', async () => {
    const cases: [string[], RegExp][] = [
      [['mark', run, ''], /^heat-record: the mark text is empty \(/],
      [['mark', run, 'x'.repeat(201)], /201 characters long \(at most 200\)/],
      [['mark', run, '--at', 'noonish', 'x'], /--at "noonish" is neither a time of day/],
      [['mark', run, '--from', '3', 'x'], /a span needs both --from and --to/],
      [['mark', run, '--from', '3', '--to', '1', 'x'], /--to .* is before --from/],
      [['mark', tmp('none.db'), 'x'], /recording .*none\.db does not exist/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(marksOf(run)).toHaveLength(4);
  });

  it('lists the marks in info, as text and as --json', async () => {
    const text = (await ok(['info', run])).stdout;
    expect(text).toMatch(/^marks {6}4$/m);
    expect(text).toMatch(/^ +\+2\.0 s {2}\S+Z {2}later$/m);
    expect(text).toMatch(/^ +\+1\.0 s {2}\S+Z \.\. \S+Z \(2\.5 s\) {2}load test$/m);
    const json = JSON.parse((await ok(['info', run, '--json'])).stdout) as {
      marks: { text: string; atS: number; endS: number | null }[];
    };
    expect(json.marks.map((m) => [m.text, m.atS, m.endS]).slice(0, 2)).toEqual([
      ['load test', 1, 3.5],
      ['later', 2, null],
    ]);
  });

  it('puts the marks in export --format json only, leaving the CSV count rows as they were', async () => {
    const doc = JSON.parse((await ok(['export', run, '--format', 'json'])).stdout) as {
      marks: { text: string; time: string }[];
    };
    expectAllInTimeOrder(doc.marks.map((m) => ({ text: m.text, atMs: Date.parse(m.time) })));
    expect(doc.marks[1]!.time).toBe(new Date(startMs + 2000).toISOString());
    const window = JSON.parse(
      (await ok(['export', run, '--format', 'json', '--from', '0', '--to', '1'])).stdout,
    ) as { marks: { text: string }[] };
    expect(window.marks.map((m) => m.text)).toEqual(['load test']);
    const csv = (await ok(['export', run, '--format', 'csv'])).stdout.trim().split('\n');
    expect(csv[0]).toBe('t,time,key,lo,hi,count');
    expect(csv.slice(1).every((l) => l.split(',').length === 6 && /^\d+,/.test(l))).toBe(true);
    expect(csv.join('\n')).not.toContain('later');
  });

  it("keeps the marks inside a clip's window, at the same wall-clock times", async () => {
    const clip = tmp('clip.db');
    await ok(['clip', run, '--from', '1', '--to', '2', '-o', clip]);
    expect(marksOf(clip).map((m) => [m.text, m.atMs, m.endMs])).toEqual([
      ['load test', startMs + 1000, startMs + 3500],
      ['later', startMs + 2000, null],
    ]);
  });

  it("carries every source's marks into a merge, with the host before the text", async () => {
    const other = tmp('other.db');
    await ok(['clip', run, '--from', '0', '--to', '1', '-o', other]);
    const merged = tmp('merged.db');
    await ok(['merge', run, other, '-o', merged]);
    const texts = marksOf(merged).map((m) => m.text);
    expect(texts).toHaveLength(5);
    expect(texts.filter((t) => /\(run\.db\): deploy v2$/.test(t))).toHaveLength(1);
    expect(texts.filter((t) => /\(other\.db\): load test$/.test(t))).toHaveLength(1);
  });

  it('keeps the marks in the recording an export --html page holds', async () => {
    const page = tmp('run.html');
    await ok(['export', run, '--html', page, '-q']);
    const blocks = /<script type="application\/gzip" id="heat-recording"[^>]*>([^<]*)<\/script>/
      .exec(readFileSync(page, 'utf8'))![1]!
      .split('\n');
    const inside = tmp('inside.db');
    writeFileSync(inside, Buffer.concat(blocks.map((b) => gunzipSync(Buffer.from(b, 'base64')))));
    expectAllInTimeOrder(marksOf(inside));
  });
});
