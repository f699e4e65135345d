// heat-view on a recording another process is still writing: the page opened at the URL
// heat-view prints shows the seconds committed so far, then each new one as the writer commits
// it (waiting for the first when there is none yet, taking in keys and buckets first seen live),
// and says "recording ended" when the writer finishes, holding exactly what the file holds.

import { describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { finished, HEAT_VIEW, startCli, waitFor } from '../../helpers/cli.js';
import { newViewerPage, waitForPaint } from '../helpers/browser.js';
import { fileSeconds, fileTotals, liveStatus, liveView, modelTotals } from '../helpers/live.js';
import { openRecording, second } from '../../helpers/recordings.js';
import { useChromium } from '../helpers/browser-hooks.js';
import { MIN_SPAN_S } from '../../../viewer/src/model/view-window.js';

const chromium = useChromium('viewer-tail-');

/** Starts `heat-view <path> --no-open` and resolves with the URL it prints. */
async function startHeatView(
  path: string,
  args: string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const child = startCli([path, '--no-open', ...args], { bin: HEAT_VIEW });
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const url = await waitFor(
    () => /serving \S+ at (\S+)/.exec(stdout)?.[1],
    10_000,
    `heat-view's URL (${stdout})`,
  );
  return { child, url };
}

describe('heat-view on a recording being written', () => {
  it('tails it and says when it ended', async () => {
    const path = chromium.path('growing.db');
    const writer = startCli([
      '-o',
      path,
      '--tracer',
      'synthetic',
      '--keys',
      '3',
      '--duration',
      '60s',
      '-q',
    ]);
    const written = finished(writer);
    await waitFor(() => fileSeconds(path) >= 1, 10_000, 'the first second in the file');
    const { child: view, url } = await startHeatView(path);
    const { page, problems } = await newViewerPage(chromium);
    try {
      expect(url).toMatch(/\?url=recording\.db&name=growing\.db&live=1$/);
      await page.goto(url);
      await waitForPaint(page);
      await expect.poll(() => liveStatus(page)).toBe('live');
      // Two seconds that arrived live, and a recording longer than the narrowest view (shorter
      // ones are shown whole from their start, with room on the right).
      const opened = await liveView(page);
      const past = Math.max(opened.recordingEnd + 2, opened.t0 + MIN_SPAN_S + 1);
      await expect
        .poll(async () => (await liveView(page)).recordingEnd, { timeout: 15_000 })
        .toBeGreaterThanOrEqual(past);
      const v = await liveView(page);
      expect(v.end).toBe(v.recordingEnd);

      expect(await page.getByTestId('detail-status').textContent()).toBe('recording');

      writer.kill('SIGINT'); // heat-record stops cleanly and marks the recording ended
      expect((await written).code).toBe(0);
      await expect
        .poll(() => page.getByTestId('live-status').textContent(), { timeout: 15_000 })
        .toBe('recording ended (interrupted)');
      // The Recording panel says so too, as the file now does (issue 13 item 9).
      await expect.poll(() => page.getByTestId('detail-status').textContent()).toBe('complete');
      expect(await page.getByTestId('detail-end').textContent()).toContain('(interrupted)');
      expect(await modelTotals(page)).toEqual(fileTotals(path));

      // Opened again once finished, it is just a file: all of it, and no live control.
      await page.reload();
      await waitForPaint(page);
      await expect.poll(() => page.getByTestId('live-control').count()).toBe(0);
      expect(await modelTotals(page)).toEqual(fileTotals(path));
      expect(problems).toEqual({ errors: [], dialogs: [] });
    } finally {
      writer.kill('SIGKILL');
      view.kill('SIGTERM');
      await page.close();
    }
  });

  it('waits for the first second of a new recording, and takes in keys and buckets first seen live (behind a token)', async () => {
    const path = chromium.path('new.db');
    const startMs = Date.now() - 10_000;
    const writer = openRecording(path, { startMs });
    // With a token, only the page URL carries it; /recording.db and /live rely on the cookie it sets.
    const { child: view, url } = await startHeatView(path, ['--token', 'tail-test-token']);
    const { page, problems } = await newViewerPage(chromium);
    try {
      expect(url).toMatch(/&token=tail-test-token$/);
      await page.goto(url);
      await expect.poll(() => liveStatus(page)).toBe('waiting');
      expect(await page.getByRole('alert').count()).toBe(0);

      writer.append(second(0, { read: { 4: 10 } }, startMs));
      await waitForPaint(page);
      await expect.poll(() => liveStatus(page)).toBe('live');
      // Second 1 brings a key and a bucket ([4096, 8191]) the page has not seen.
      writer.append(second(1, { read: { 4: 5 }, write: { 12: 7 } }, startMs));
      writer.append(second(2, { write: { 12: 1, 13: 2 } }, startMs));
      await expect
        .poll(() => modelTotals(page))
        .toEqual([
          [0, 10],
          [1, 12],
          [2, 3],
        ]);
      await expect
        .poll(() => page.getByTestId('key-name').allTextContents())
        .toEqual(['read', 'write']);
      // A new key in a bucket already shown, in a second that lost events.
      expect(await page.getByTestId('health-empty').count()).toBe(1);
      writer.append({
        ...second(3, { open: { 4: 40 } }, startMs),
        health: [{ kind: 'drop', message: 'lost 12 events', count: 12 }],
      });
      await expect
        .poll(() => page.getByTestId('key-name').allTextContents())
        .toEqual(['open', 'read', 'write']);
      await expect
        .poll(() => page.getByTestId('health').textContent())
        .toContain('drop ×12: lost 12 events');

      writer.finish({
        end_ms: String(startMs + 4000),
        end_reason: 'interrupted',
        status: 'complete',
      });
      await expect
        .poll(() => page.getByTestId('live-status').textContent())
        .toBe('recording ended (interrupted)');
      expect(await modelTotals(page)).toEqual(fileTotals(path));
      expect(problems).toEqual({ errors: [], dialogs: [] });
    } finally {
      view.kill('SIGTERM');
      await page.close();
    }
  });
});
