// Marks in the viewer: a recording's marks (added with heat-record's store, as `heat-record mark`
// does) appear as labels with their text on the heat map's time axis, at their time, and on the
// overview strip; an older file without the mark table opens with none and no error; a mark
// added by double-clicking the map is saved with the recording as .db and .html; an export --html
// page shows them offline.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { addMark } from '../../../cli/store/recording-marks.js';
import { RecordingReader } from '../../../cli/store/recording-reader.js';
import { runCli } from '../../helpers/cli.js';
import { START_MS, writeSyntheticRecording } from '../../helpers/recordings.js';
import { newViewerPage, openByUrl, plotBox, waitForPaint } from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';

const session = useViewerSession('viewer-marks-', async (path) => {
  writeSyntheticRecording(path('marked.db'), 300, { keys: 4, seed: 3 });
  addMark(path('marked.db'), {
    atMs: START_MS + 60_000,
    endMs: null,
    text: 'deploy v2',
    createdMs: Date.now(),
    source: 'cli',
  });
  addMark(path('marked.db'), {
    atMs: START_MS + 120_000,
    endMs: START_MS + 180_000,
    text: 'load test',
    createdMs: Date.now(),
    source: 'cli',
  });
  writeSyntheticRecording(path('old.db'), 60, { keys: 2, seed: 4 });
  const old = new Database(path('old.db'));
  old.exec('DROP TABLE mark');
  old.close();
});

describe('marks in the viewer', () => {
  it('labels each mark with its text on the time axis, at its time, and on the overview strip', async () => {
    const { page, problems } = await newViewerPage(session);
    await openByUrl(page, session, 'marked.db');
    const map = page.getByTestId('heatmap-box');
    await expect
      .poll(() => map.getByTestId('mark-label').allTextContents())
      .toEqual(['deploy v2', 'load test']);
    const plot = await plotBox(page);
    const label = (await map.getByTestId('mark-label').first().boundingBox())!;
    // The whole recording fits the window (0..300 s): the mark at 60 s sits a fifth of the way across.
    expect(Math.abs(label.x - 2 - (plot.pageX + plot.left + plot.width / 5))).toBeLessThan(3);
    expect(await map.getByTestId('mark-label').first().getAttribute('title')).toMatch(
      /^\d\d:\d\d:\d\d {2}deploy v2$/,
    );
    const span = (await map.getByTestId('mark').nth(1).boundingBox())!;
    expect(Math.abs(span.width - plot.width / 5)).toBeLessThan(3);
    expect(await page.getByTestId('overview').getByTestId('mark-label').allTextContents()).toEqual([
      'deploy v2',
      'load test',
    ]);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('opens a recording made before the mark table with no marks and no error', async () => {
    const { page, problems } = await newViewerPage(session);
    await openByUrl(page, session, 'old.db');
    expect(await page.getByTestId('mark-label').count()).toBe(0);
    expect(await page.getByTestId('error-banner').count()).toBe(0);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('adds a mark at a double-clicked time and saves the recording with it as .db and as .html', async () => {
    const { page, problems } = await newViewerPage(session);
    await openByUrl(page, session, 'marked.db');
    const plot = await plotBox(page);
    await page.mouse.dblclick(
      plot.pageX + plot.left + plot.width / 2,
      plot.pageY + plot.top + plot.height / 2,
    );
    await page.getByTestId('mark-text').fill('spike seen');
    await page.getByTestId('mark-text').press('Enter');
    const labels = page.getByTestId('heatmap-box').getByTestId('mark-label');
    await expect
      .poll(() => labels.allTextContents())
      .toEqual(['deploy v2', 'load test', 'spike seen']);
    expect(await page.getByTestId('marks-unsaved').textContent()).toContain('1 mark added');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('marks-save-db').click(),
    ]);
    expect(download.suggestedFilename()).toBe('marked-marked.db');
    const saved = session.path('saved.db');
    await download.saveAs(saved);
    const reader = RecordingReader.open(saved);
    const marks = reader.marks();
    reader.close();
    expect(marks.map((m) => [m.text, m.source])).toEqual([
      ['deploy v2', 'cli'],
      ['load test', 'cli'],
      ['spike seen', 'viewer'],
    ]);
    expect(Math.abs(marks[2]!.atMs - (START_MS + 150_000))).toBeLessThan(1500); // the middle of 0..300 s
    const info = JSON.parse((await runCli(['info', saved, '--json'])).stdout) as {
      seconds: number;
      marks: { text: string }[];
    };
    expect(info.seconds).toBe(300);
    expect(info.marks.map((m) => m.text)).toContain('spike seen');

    const [page2] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('marks-save-html').click(),
    ]);
    const html = session.path('saved.html');
    await page2.saveAs(html);
    expect(problems.errors).toEqual([]);
    await page.close();
    const context = await session.browser.newContext({ viewport: { width: 1500, height: 1000 } });
    await context.setOffline(true);
    const offline = await context.newPage();
    await offline.goto(`file://${html}`);
    await waitForPaint(offline);
    await expect
      .poll(() => offline.getByTestId('heatmap-box').getByTestId('mark-label').allTextContents())
      .toEqual(['deploy v2', 'load test', 'spike seen']);
    await context.close();
  });

  it('keeps the marks inside the window in "export this window", as heat-record clip does', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'marked.db', 't=100-200');
    await page.getByTestId('more').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-window-db').click(),
    ]);
    const path = session.path('window.db');
    await download.saveAs(path);
    await page.close();
    const reader = RecordingReader.open(path);
    expect(reader.marks().map((m) => [m.text, m.atMs, m.endMs])).toEqual([
      ['load test', START_MS + 120_000, START_MS + 180_000],
    ]);
    reader.close();
  });

  it('shows the marks of an export --html page opened offline', async () => {
    const html = session.path('marked.html');
    expect((await runCli(['export', session.path('marked.db'), '--html', html, '-q'])).code).toBe(
      0,
    );
    const context = await session.browser.newContext({ viewport: { width: 1500, height: 1000 } });
    await context.setOffline(true);
    const page = await context.newPage();
    await page.goto(`file://${html}`);
    await waitForPaint(page);
    await expect
      .poll(() => page.getByTestId('heatmap-box').getByTestId('mark-label').allTextContents())
      .toEqual(['deploy v2', 'load test']);
    await context.close();
  });
});
