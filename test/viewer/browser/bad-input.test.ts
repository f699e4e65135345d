// Files the viewer must refuse, and keys it must not trust: every bad file shows a banner
// naming the file and the reason while the page stays usable, and a key written as HTML is
// shown as text and runs nothing.

import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newViewerPage, openByUrl, plotBox, viewWindow, waitForPaint } from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';
import { cellCentre, RecordingFacts } from '../helpers/expected.js';
import { second, writeRecording } from '../../helpers/recordings.js';
import { recordSynthetic, writeBadFiles } from '../helpers/recordings.js';

const XSS = '<img src=x onerror=alert(1)>';
let bad: Record<string, string>;
const session = useViewerSession('viewer-bad-', async (path) => {
  await recordSynthetic(path('good.db'), { seconds: 60, keys: 3, seed: 9 });
  bad = writeBadFiles(path(''), path('good.db'));
  const seconds = [0, 1, 2, 3, 4, 5].map((t) =>
    second(t, { [XSS]: { 4: 10 + t, 9: 1 }, read: { 3: 5 } }),
  );
  writeRecording(path('xss.db'), seconds, {
    script: `BEGIN { printf("${XSS}<script>alert(2)</script>"); }`,
  });
});

const reasons: Record<string, RegExp> = {
  empty: /the file is empty/,
  notSqlite: /not a SQLite database/,
  notRecording: /not a Heat Tracer recording/,
  newer: /newer Heat Tracer \(format version 2; this viewer reads up to 1\)/,
  truncated: /cut short/,
};

describe('bad files', () => {
  it('each shows a banner naming the file and the reason, and the page still opens a good file', async () => {
    const { page, problems } = await newViewerPage(session);
    await page.goto(await session.home());
    for (const [kind, reason] of Object.entries(reasons)) {
      await page.getByTestId('file-input').setInputFiles(bad[kind]!);
      const banner = page.getByRole('alert');
      await expect.poll(() => banner.textContent(), { message: kind }).toMatch(reason);
      expect(await banner.textContent()).toContain(`Cannot open ${basename(bad[kind]!)}`);
      expect(await page.getByTestId('heatmap').count()).toBe(0);
    }
    await page.getByTestId('file-input').setInputFiles(session.path('good.db'));
    await waitForPaint(page);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(problems.dialogs).toEqual([]);
    await page.close();
  });

  it('through ?url= too, and for a URL that does not exist', async () => {
    const { page } = await newViewerPage(session);
    // heat-view serves whatever file it was given as recording.db.
    await page.goto((await session.serve(basename(bad.truncated!))).url);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/Cannot open cut-short\.db.*cut short/);
    await page.goto(`${await session.home()}?url=missing.db`);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/Cannot open missing\.db: could not fetch missing\.db: HTTP 404/);
    await page.close();
  });

  it('a newer recording opened over a good one keeps the good one on screen', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'good.db');
    await page.getByTestId('file-input').setInputFiles(bad.newer!);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(reasons.newer!);
    expect(await page.getByTestId('file-name').textContent()).toBe('good.db');
    expect(await page.getByTestId('heatmap').count()).toBe(1);
    await page.close();
  });
});

describe('untrusted text in a recording', () => {
  it('a key written as HTML is shown as text everywhere and runs nothing', async () => {
    const { page, problems } = await newViewerPage(session);
    await openByUrl(page, session, 'xss.db');
    const names = await page.getByTestId('key-name').allTextContents();
    expect(names).toContain(XSS);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    expect(await page.getByTestId('script').textContent()).toContain(
      `${XSS}<script>alert(2)</script>`,
    );
    // The tooltip over the key's cell (second 3, bucket [16, 31]) lists it among the top keys, as text.
    const facts = new RecordingFacts(session.path('xss.db'));
    const bucket = facts.buckets().find((b) => b.lo === 16)!;
    const at = cellCentre(await plotBox(page), await viewWindow(page), facts.buckets(), 3, bucket);
    facts.close();
    const plot = await plotBox(page);
    await page.mouse.move(plot.pageX + at.x, plot.pageY + at.y);
    const tip = page.getByTestId('tooltip');
    await tip.waitFor();
    expect(await tip.getAttribute('data-count')).toBe('13');
    expect(await tip.textContent()).toContain(XSS);
    expect(await tip.innerHTML()).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(await page.locator('img').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(problems.dialogs).toEqual([]);
    expect(problems.errors).toEqual([]);
    await page.close();
  });
});
