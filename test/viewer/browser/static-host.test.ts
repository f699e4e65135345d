// A recording on any static host, opened by ?url=: a plain server that answers byte ranges with
// or without a validator (ETag, Last-Modified, neither), and a bucket on another site whose CORS
// headers expose Content-Range or not. Read in parts, it paints what heat-view's copy paints.

import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canvasChecksum,
  newViewerPage,
  openEverythingInParts,
  waitForPaint,
} from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';
import { recordSynthetic } from '../helpers/recordings.js';
import { serveStatic, type StaticOptions, type StaticServer } from '../helpers/static-server.js';
import { ensureViewerBuilt } from '../helpers/viewer-build.js';

let size: number;
/** The map as heat-view serves the file, read whole. */
let expectedPixels: number;
const servers: StaticServer[] = [];

const session = useViewerSession('viewer-static-host-', async (path) => {
  await recordSynthetic(path('run.db'), { seconds: 21_600, keys: 12, seed: 8 });
  size = statSync(path('run.db')).size;
});

beforeAll(async () => {
  const { page } = await newViewerPage(session);
  await page.goto((await session.serve('run.db')).url);
  await waitForPaint(page);
  expectedPixels = await canvasChecksum(page);
  await page.close();
});

afterAll(async () => {
  for (const s of servers) await s.close();
});

async function host(o: StaticOptions): Promise<StaticServer> {
  const server = await serveStatic(await ensureViewerBuilt(), session.path(''), o);
  servers.push(server);
  return server;
}

/** Opens `url` in a page of the viewer at `viewer` (every recording in parts), once painted. */
async function openInParts(viewer: StaticServer, url: string) {
  const opened = await newViewerPage(session);
  await openEverythingInParts(opened.page);
  await opened.page.goto(`${viewer.url}/?url=${encodeURIComponent(url)}`);
  return opened;
}

const recordingRequests = (s: StaticServer) => s.requests.filter((r) => r.range !== undefined);

describe('a recording on a plain static host', () => {
  it('without ETag or Last-Modified: read in parts by Content-Range, with a note naming both', async () => {
    const server = await host({ ranges: true });
    const { page, problems } = await openInParts(server, 'rec/run.db');
    await waitForPaint(page);
    await expect.poll(() => canvasChecksum(page), { timeout: 10_000 }).toBe(expectedPixels);
    expect((await page.evaluate(() => window.__heatViewer!.heldBytes()))!).toBeLessThan(size / 2);
    expect(recordingRequests(server).length).toBeGreaterThan(2);
    expect(
      recordingRequests(server).every((r) => r.status === 206 && r.ifRange === undefined),
    ).toBe(true);
    expect(await page.getByTestId('health').textContent()).toContain(
      'neither ETag nor Last-Modified',
    );
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('without a validator and small enough to read whole: the rest of the file is asked for, not taken as cut short', async () => {
    const server = await host({ ranges: true });
    const { page, problems } = await newViewerPage(session);
    await page.goto(`${server.url}/?url=rec/run.db`);
    await waitForPaint(page);
    expect(await canvasChecksum(page)).toBe(expectedPixels);
    expect(await page.evaluate(() => window.__heatViewer!.heldBytes())).toBeNull();
    expect(recordingRequests(server).map((r) => r.range)).toEqual([
      'bytes=0-65535',
      `bytes=65536-${size - 1}`,
    ]);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  for (const validator of ['etag', 'last-modified'] as const) {
    it(`with ${validator === 'etag' ? 'an ETag' : 'Last-Modified'}: every later part names that version (If-Range), no note`, async () => {
      const server = await host({ ranges: true, validator });
      const { page, problems } = await openInParts(server, 'rec/run.db');
      await waitForPaint(page);
      await expect.poll(() => canvasChecksum(page), { timeout: 10_000 }).toBe(expectedPixels);
      const later = recordingRequests(server).slice(1);
      expect(later.length).toBeGreaterThan(1);
      expect(
        later.every(
          (r) => r.ifRange !== undefined && (validator === 'etag') === r.ifRange.startsWith('"'),
        ),
      ).toBe(true);
      expect(await page.getByTestId('health').count()).toBe(0);
      expect(problems.errors).toEqual([]);
      await page.close();
    });
  }
});

describe('a recording in a bucket on another site (CORS)', () => {
  it('exposing Content-Range and ETag: read in parts, with no preflight', async () => {
    const viewer = await host({ csp: null });
    const bucket = await host({
      ranges: true,
      validator: 'etag',
      cors: { expose: 'Content-Range, ETag, Content-Length' },
    });
    const { page, problems } = await openInParts(viewer, `${bucket.url}/rec/run.db`);
    await waitForPaint(page);
    await expect.poll(() => canvasChecksum(page), { timeout: 10_000 }).toBe(expectedPixels);
    expect(recordingRequests(bucket).length).toBeGreaterThan(2);
    expect(bucket.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await page.getByTestId('health').count()).toBe(0);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('hiding Content-Range: a one-line error naming the header to expose', async () => {
    const viewer = await host({ csp: null });
    const bucket = await host({ ranges: true, validator: 'etag', cors: {} });
    const { page } = await openInParts(viewer, `${bucket.url}/rec/run.db`);
    const banner = page.getByTestId('error-banner');
    await banner.waitFor();
    const text = (await banner.textContent())!;
    expect(text).toContain('Access-Control-Expose-Headers: Content-Range, ETag');
    expect(text).not.toContain('cut short');
    await page.close();
  });
});
