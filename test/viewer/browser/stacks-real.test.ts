// The stacks view on a real recording: heat-record --stacks --stacks-above 1ms with real
// bpftrace (root) on the two-path workload (test/fixtures/workloads/two-path.c: slow_path()
// sleeps 5 ms, fast_path() ~10 µs). In Chromium, a box drawn with the mouse over the 4-8 ms band
// gives the file's stacks for its seconds and band exactly (folded export line by line, frames
// under the top), at least 90 % of them under slow_path; a time selection counts the fast events
// as below the threshold: the histogram's count minus the stacks'.

import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  committedSeconds,
  finished,
  firstSecondRecorded,
  startCli,
  waitFor,
} from '../../helpers/cli.js';
import { compileWorkload } from '../../helpers/sleep-workload.js';
import { newViewerPage, openByUrl, plotBox } from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';
import { bucketSpanY, RecordingFacts } from '../helpers/expected.js';
import { bpftraceSleepScript } from '../../helpers/sleep-scripts.js';

const SCRIPT = bpftraceSleepScript('two-path');

const session = useViewerSession('viewer-stacks-real-', async (path) => {
  const exe = compileWorkload('two-path', path('two-path'), ['-O1', '-fno-omit-frame-pointer']);
  const file = path('real.db');
  const recorder = startCli([
    '-o',
    file,
    '--quiet',
    '--stacks',
    '--stacks-above',
    '1ms',
    '-e',
    SCRIPT,
  ]);
  const done = finished(recorder);
  await firstSecondRecorded(file);
  const workload = spawn(exe, ['3'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await once(workload.stdout.setEncoding('utf8'), 'data'); // its loop is done
  // It lives on (stdin open) until its last seconds are printed with their symbols.
  const now = committedSeconds(file);
  await waitFor(() => committedSeconds(file) >= now + 2, 60_000, 'two more seconds');
  recorder.kill('SIGINT');
  expect((await done).code).toBe(0);
  workload.stdin.end();
  await once(workload, 'close');
});

/** The file's stacks in seconds [from, to) with buckets within [lo, hi], as folded lines (the export's rule for ";"). */
function fileFolded(from: number, to: number, lo: number, hi: number): string[] {
  const db = new Database(session.path('real.db'), { readonly: true });
  const rows = db
    .prepare(
      `SELECT frames, sum(n) AS n FROM stack_counts WHERE t >= ? AND t < ? AND lo >= ? AND hi <= ?
       GROUP BY frames`,
    )
    .all(from, to, lo, hi) as { frames: string; n: number }[];
  db.close();
  const folded = (frames: string) =>
    (JSON.parse(frames) as string[]).map((f) => f.replace(/;/g, ':')).join(';');
  return rows.map((r) => `${folded(r.frames)} ${r.n}`).sort();
}

const count = (line: string) => Number(line.slice(line.lastIndexOf(' ') + 1));
const total = (lines: string[]) => lines.reduce((s, l) => s + count(l), 0);

async function drag(page: Page, y0: number, y1: number): Promise<{ from: number; to: number }> {
  const plot = await plotBox(page);
  const x = (f: number) => plot.pageX + plot.left + plot.width * f;
  await page.mouse.move(x(0.005), plot.pageY + y0);
  await page.mouse.down();
  await page.mouse.move(x(0.995), plot.pageY + y1, { steps: 6 });
  await page.mouse.up();
  const span = page.getByTestId('range-span');
  await span.waitFor();
  await page.locator('[data-testid=stacks-panel][data-status=ready]').waitFor();
  return {
    from: Number(await span.getAttribute('data-from')),
    to: Number(await span.getAttribute('data-to')),
  };
}

async function exported(page: Page): Promise<string[]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('stacks-export').click(),
  ]);
  return readFileSync((await download.path())!, 'utf8')
    .split('\n')
    .filter(Boolean);
}

describe('stacks of a real bpftrace recording (root)', () => {
  it('a box over the slow band: the file stacks, nine in ten under slow_path', async () => {
    const { page, problems } = await newViewerPage(session);
    await openByUrl(page, session, 'real.db');
    await page.getByTestId('drag-band').click();
    const facts = new RecordingFacts(session.path('real.db'));
    const buckets = facts.buckets();
    facts.close();
    const slow = bucketSpanY(
      await plotBox(page),
      buckets,
      buckets.find((b) => b.lo === 4096)!,
    );
    const { from, to } = await drag(page, slow.top + 2, slow.bottom - 2);
    const expected = fileFolded(from, to, 4096, 8191);
    const lines = await exported(page);
    expect(lines).toEqual(expected);
    const n = total(expected);
    expect(Number(await page.getByTestId('stacks-total').getAttribute('data-value'))).toBe(n);
    expect(
      total(lines.filter((l) => l.split(';').some((f) => f.startsWith('slow_path')))),
    ).toBeGreaterThanOrEqual(0.9 * n);
    // The frames under the top, widest first, as the file's stacks sum them.
    const byFirst = new Map<string, number>();
    for (const l of expected) {
      const first = l.slice(0, l.lastIndexOf(' ')).split(';')[0]!;
      byFirst.set(first, (byFirst.get(first) ?? 0) + count(l));
    }
    const top = await page
      .getByTestId('flame-top')
      .locator('li')
      .evaluateAll((lis) =>
        lis.map((li) => [li.getAttribute('data-name'), li.getAttribute('data-counts')]),
      );
    expect(top.length).toBe(Math.min(8, byFirst.size)); // the panel lists the widest eight
    for (const [name, c] of top) expect(Number(c), name!).toBe(byFirst.get(name!));
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('a time selection: the events under the threshold are the histogram minus the stacks', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'real.db');
    await page.getByTestId('drag-select').click();
    const plot = await plotBox(page);
    const { from, to } = await drag(page, plot.top + 5, plot.top + 5);
    const stacked = total(fileFolded(from, to, 0, 2 ** 53));
    expect(await exported(page)).toEqual(fileFolded(from, to, 0, 2 ** 53));
    const db = new Database(session.path('real.db'), { readonly: true });
    const events = db
      .prepare('SELECT sum(n) FROM counts WHERE t >= ? AND t < ?')
      .pluck()
      .get(from, to) as number;
    db.close();
    expect(events - stacked).toBeGreaterThan(0); // the fast path's ~10 µs sleeps
    expect(Number(await page.getByTestId('stacks-below').getAttribute('data-value'))).toBe(
      events - stacked,
    );
    await page.close();
  });
});
