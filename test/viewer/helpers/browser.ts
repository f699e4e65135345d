// Drives the built viewer in Debian's Chromium through playwright-core: launch, open a
// recording served by the real viewer server (heat-view's, so its CSP and headers apply) by
// ?url= or through the file input, read canvas pixels and the view, and collect anything the
// page complained about (errors, CSP refusals, dialogs).

import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type {} from '../../../viewer/src/state/test-hooks.js';
import { startViewerServer, type RunningServer } from '../../../cli/serve/viewer-server.js';
import { ensureViewerBuilt } from './viewer-build.js';
import { openInPartsFrom } from './open-in-parts-from.js';
import { launchChromium } from '../../helpers/chromium.js';

export { CHROMIUM_ARGS, launchChromium } from '../../helpers/chromium.js';

export interface ViewerSession {
  browser: Browser;
  /** The viewer server for one recording of the session's folder, as heat-view runs it; started on first use. */
  serve(name: string): Promise<RunningServer>;
  /** A viewer page with no recording to load (for the file input and drops). */
  home(): Promise<string>;
  close(): Promise<void>;
}

/** Builds the viewer if needed and starts Chromium; recordings in recordingsDir are served by name. */
export async function startViewer(recordingsDir: string): Promise<ViewerSession> {
  const viewerRoot = await ensureViewerBuilt();
  const browser = await launchChromium();
  const servers = new Map<string, Promise<RunningServer>>();
  const serve = (name: string): Promise<RunningServer> => {
    let server = servers.get(name);
    if (!server)
      servers.set(
        name,
        (server = startViewerServer({ recordingPath: join(recordingsDir, name), viewerRoot })),
      );
    return server;
  };
  return {
    browser,
    serve,
    // The server only reads its recording when the page asks for /recording.db.
    home: async () => new URL('/', (await serve('(none).db')).url).href,
    close: async () => {
      await browser.close();
      for (const server of servers.values()) await (await server).close();
    },
  };
}

export interface PageProblems {
  errors: string[];
  dialogs: string[];
}

/** A page that records its errors, console errors (CSP refusals among them) and dialogs. */
export async function newViewerPage(
  session: { browser: Browser },
  opts: { width?: number; height?: number; dpr?: number } = {},
): Promise<{ page: Page; problems: PageProblems }> {
  const page = await session.browser.newPage({
    viewport: { width: opts.width ?? 1500, height: opts.height ?? 1000 },
    deviceScaleFactor: opts.dpr ?? 1,
  });
  const problems: PageProblems = { errors: [], dialogs: [] };
  page.on('pageerror', (e) => problems.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.errors.push(m.text());
  });
  page.on('dialog', (d) => {
    problems.dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, problems };
}

/**
 * Before the page's script runs: every recording the page opens is opened in parts, whatever its
 * size (the hooks object is caught as the page installs it).
 */
export function openEverythingInParts(page: Page): Promise<void> {
  return openInPartsFrom(page, 0);
}

/** Waits until the map of the n-th recording opened in this page has been painted. */
export async function waitForPaint(page: Page, n = 1): Promise<void> {
  // A function, not a string: the page's CSP forbids eval, which a string predicate needs.
  await page.waitForFunction(
    (count) => (window.__heatViewer?.openToPaintMs.length ?? 0) >= count,
    n,
    { timeout: 30_000 },
  );
  await page.waitForSelector('[data-testid=keys]');
}

/** Opens a recording of the session's folder by its server's URL (?url=recording.db, and a view hash) and waits for the first paint. */
export async function openByUrl(
  page: Page,
  session: ViewerSession,
  name: string,
  hash = '',
): Promise<void> {
  await page.goto(`${(await session.serve(name)).url}${hash ? `#${hash}` : ''}`);
  await waitForPaint(page);
}

export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
  /** Canvas position on the page (CSS px). */
  pageX: number;
  pageY: number;
}

/** The plot area inside the heat-map canvas, from its data attributes. */
export async function plotBox(page: Page): Promise<PlotBox> {
  const canvas = page.getByTestId('heatmap');
  const box = (await canvas.boundingBox())!;
  const attr = async (name: string) => Number(await canvas.getAttribute(`data-plot-${name}`));
  return {
    left: await attr('left'),
    top: await attr('top'),
    width: await attr('width'),
    height: await attr('height'),
    pageX: box.x,
    pageY: box.y,
  };
}

/** The visible window (seconds) from the canvas's data attributes. */
export async function viewWindow(page: Page): Promise<{ start: number; end: number }> {
  const canvas = page.getByTestId('heatmap');
  return {
    start: Number(await canvas.getAttribute('data-window-start')),
    end: Number(await canvas.getAttribute('data-window-end')),
  };
}

/** RGB of the heat-map canvas at CSS px (x, y) relative to the canvas. */
export async function pixelAt(page: Page, x: number, y: number): Promise<[number, number, number]> {
  return page.evaluate(`(() => {
    const c = document.querySelector('[data-testid=heatmap]');
    const k = c.width / c.getBoundingClientRect().width;
    const d = c.getContext('2d').getImageData(Math.floor(${x} * k), Math.floor(${y} * k), 1, 1).data;
    return [d[0], d[1], d[2]];
  })()`);
}

/** A checksum of every pixel of the heat-map canvas: changes when anything drawn changes. */
export async function canvasChecksum(page: Page): Promise<number> {
  return page.evaluate(`(() => {
    const c = document.querySelector('[data-testid=heatmap]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 4) h = (Math.imul(h, 31) + (d[i] | (d[i + 1] << 8) | (d[i + 2] << 16))) | 0;
    return h;
  })()`);
}

/** Lets coalesced redraws (one animation frame) and the debounced hash write happen. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  await page.waitForTimeout(200);
}
