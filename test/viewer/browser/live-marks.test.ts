// Marks stream live: while `heat-record --tracer synthetic --serve` records in real time,
// `heat-record mark` adds a mark to the file; /live sends it as a `mark` event (every mark held
// after `hello`, then each new one) and the open page shows its label on the time axis without
// a reload.

import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { connectSse } from '../../helpers/sse-client.js';
import { newViewerPage, waitForPaint } from '../helpers/browser.js';
import { liveView, recordLive } from '../helpers/live.js';
import { useChromium } from '../helpers/browser-hooks.js';

const chromium = useChromium('viewer-live-marks-');

describe('marks while recording with --serve', () => {
  it('streams a mark added with heat-record mark to /live and to an open page, which labels it without a reload', async () => {
    const path = chromium.path('live.db');
    const rec = await recordLive(path, 40);
    const { page, problems } = await newViewerPage(chromium);
    try {
      await page.goto(rec.url);
      await waitForPaint(page);
      expect((await runCli(['mark', path, 'before the stream'])).code).toBe(0);
      const sse = connectSse(`${rec.base}live`);
      await expect
        .poll(
          () => sse.events.filter((e) => e.event === 'mark').map((e) => JSON.parse(e.data).text),
          { timeout: 10_000 },
        )
        .toEqual(['before the stream']);
      const opened = (await liveView(page)).recordingEnd;

      const added = await runCli(['mark', path, 'deploy live']);
      expect(added.code, added.stderr).toBe(0);
      await expect
        .poll(() => sse.events.filter((e) => e.event === 'mark').length, { timeout: 10_000 })
        .toBe(2);
      const live = sse.events.filter((e) => e.event === 'mark')[1]!;
      expect(live.id).toBeUndefined(); // Last-Event-ID stays the last second's t
      expect(JSON.parse(live.data)).toMatchObject({
        v: 1,
        type: 'mark',
        endMs: null,
        text: 'deploy live',
        source: 'cli',
      });
      sse.close();

      const labels = page.getByTestId('heatmap-box').getByTestId('mark-label');
      await expect
        .poll(() => labels.allTextContents(), { timeout: 10_000 })
        .toEqual(['before the stream', 'deploy live']);
      // A mark at now lies just past the last second until the next one arrives: the overview spans the seconds held.
      await expect
        .poll(() => page.getByTestId('overview').getByTestId('mark-label').allTextContents(), {
          timeout: 10_000,
        })
        .toEqual(['before the stream', 'deploy live']);
      expect((await liveView(page)).recordingEnd).toBeGreaterThan(opened); // still the same page, following
      expect(problems.errors).toEqual([]);
    } finally {
      await page.close();
      rec.child.kill('SIGINT');
      await rec.done;
    }
  });
});
