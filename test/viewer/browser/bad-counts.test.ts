// Recordings that are SQLite and Heat Tracer files but hold values the format forbids (issue 12,
// items 6-7), opened in Chromium as a person would: counts that are not JSON give the error
// banner, never an uncaught exception or a blank page (also inside a single-file HTML page, and
// for the recording compared as B, in Compare's own banner); a second at t = 9,000,000,000 is
// refused at once by the banner; negative counts paint the rest of the map and are noted in the
// health list; a real capture with D weights paints its positive counts however many negative
// ones other keys hold in the same cells.

import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { importTrace } from '../../../cli/import/import-recording.js';
import { fillPage, gzipBlocks, readPageTemplate } from '../../../cli/share/html-export.js';
import { writeMalformedRecordings } from '../../helpers/malformed-recordings.js';
import { newViewerPage, plotBox, viewWindow, waitForPaint } from '../helpers/browser.js';
import { cellCentre, RecordingFacts } from '../helpers/expected.js';
import { useViewerSession } from '../helpers/browser-hooks.js';
import { START_MS } from '../../helpers/recordings.js';
import { recordSynthetic, REPO_ROOT } from '../helpers/recordings.js';

let corpus: Map<string, string>;
const session = useViewerSession('viewer-bad-counts-', async (path) => {
  await recordSynthetic(path('good.db'), { seconds: 90, keys: 3, seed: 4 });
  corpus = writeMalformedRecordings(path('good.db'), path(''));
  const negorder = `${REPO_ROOT}/test/fixtures/dtrace-real/dtrace-utils-aggs-tst.negorder.txt`;
  importTrace(negorder, path('negorder.db'), { commandLine: ['test'], startMs: START_MS });
});
const tmp = session.path;

describe('counts that are not what the format says', () => {
  it('counts that are not JSON show the banner naming the file, and the page still opens a good file', async () => {
    const { page, problems } = await newViewerPage(session);
    await page.goto(await session.home());
    for (const name of ['counts-garbage-every-row', 'rollup-counts-garbage', 'counts-array']) {
      await page.getByTestId('file-input').setInputFiles(corpus.get(name)!);
      const banner = page.getByRole('alert');
      // counts-array damages one hist row only: it is read when that key's own counts are.
      if (name === 'counts-array') await page.getByTestId('key-only').first().click();
      await expect
        .poll(() => banner.textContent(), { message: name })
        .toMatch(
          /the file is damaged: the counts of second \d+, series \d+ are not (JSON|a JSON object)/,
        );
      expect(await banner.textContent()).toContain(`Cannot open ${name}.db`);
      await banner.getByRole('button', { name: 'Dismiss' }).click();
    }
    await page.getByTestId('file-input').setInputFiles(tmp('good.db'));
    await waitForPaint(page);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('a compared recording (B) whose counts are not JSON shows the banner in Compare, naming B', async () => {
    const { page, problems } = await newViewerPage(session);
    await page.goto((await session.serve('good.db')).url);
    await waitForPaint(page);
    await page.getByTestId('compare-start').click();
    await page.getByTestId('compare-file').setInputFiles(corpus.get('rollup-counts-garbage')!);
    // B opens (its name is shown); reading its counts for the difference map fails.
    await expect
      .poll(() => page.getByTestId('compare-b').textContent())
      .toContain('rollup-counts-garbage.db');
    const banner = page.getByTestId('compare-error');
    await expect
      .poll(() => banner.textContent())
      .toMatch(
        /Cannot open rollup-counts-garbage\.db: the file is damaged: the counts of second \d+, series \d+ are not JSON/,
      );
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await page.getByTestId('error-banner').count()).toBe(0); // the map's own file is fine
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    expect(await page.getByTestId('compare-error').count()).toBe(0);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('a single-file HTML page holding such a recording shows the banner too', async () => {
    const bytes = readFileSync(corpus.get('counts-garbage-every-row')!);
    const html = tmp('bad.html');
    writeFileSync(html, fillPage(readPageTemplate(), 'bad.db', gzipBlocks(bytes), bytes.length));
    const page = await session.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${html}`);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/Cannot open bad\.db: the file is damaged/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a second at t = 9,000,000,000 is refused at once with the banner', async () => {
    const { page, problems } = await newViewerPage(session);
    await page.goto(await session.home());
    await page.getByTestId('file-input').setInputFiles(corpus.get('second-t-9e9')!);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(
        /Cannot open second-t-9e9\.db: the file is damaged: it has a second t = 9000000000; seconds run from 0 to 31622399/,
      );
    expect(await page.getByTestId('heatmap').count()).toBe(0);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('negative counts paint the rest of the map and are noted in the health list', async () => {
    const { page, problems } = await newViewerPage(session);
    await page.goto((await session.serve(basename(corpus.get('counts-negative')!))).url);
    await waitForPaint(page);
    await page.getByTestId('key-only').first().click(); // reads the hist rows holding the negative count
    await expect
      .poll(() => page.getByTestId('health').textContent())
      .toMatch(
        /negative counts in this recording \(first: -5 in second 5, key .+\): drawn as zero/,
      );
    expect(await paintedPixels(page)).toBeGreaterThan(1000);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  // dtrace-utils' tst.negorder: in each of its two seconds 12 keys hold -12..-1 and 12 hold 1..12,
  // all in [1, 1]. Netted over keys the cell was 0 and the all-keys map was blank.
  it("a real capture's positive counts are painted beside other keys' negative ones, which health lists", async () => {
    const { page, problems } = await newViewerPage(session);
    await page.goto((await session.serve('negorder.db')).url);
    await waitForPaint(page);
    // The tooltip over second 0's [1, 1] cell counts what a person sees there: its 78 positive counts.
    const facts = new RecordingFacts(session.path('negorder.db'));
    const buckets = facts.buckets();
    facts.close();
    const plot = await plotBox(page);
    const at = cellCentre(plot, await viewWindow(page), buckets, 0, buckets[0]!);
    await page.mouse.move(plot.pageX + at.x, plot.pageY + at.y);
    await page.getByTestId('tooltip').waitFor();
    expect(await page.getByTestId('tooltip').getAttribute('data-count')).toBe('78');
    const notes = (await page.getByTestId('health').locator('li').allTextContents()).filter((t) =>
      t.includes('negative counts'),
    );
    expect(notes).toHaveLength(2);
    for (const note of notes)
      expect(note).toMatch(/warning ×12: negative counts \(D weights\): 12 cells summing to -78/);
    expect(problems.errors).toEqual([]);
    await page.close();
  });
});

/** Pixels of the heat map that are painted (neither white nor transparent). */
function paintedPixels(page: Page): Promise<number> {
  return page.evaluate(`(() => {
    const c = document.querySelector('[data-testid=heatmap]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250)) n++;
    return n;
  })()`);
}
