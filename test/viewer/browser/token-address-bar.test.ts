// The token in the URL heat-view prints is read once: after the page loads, the address bar (and
// so history, bookmarks and copied links) no longer holds it, while the page keeps reading the
// server (its cookie carries the token), a reload included.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveRecording } from '../../../cli/serve/live-recording.js';
import { startViewerServer, type RunningServer } from '../../../cli/serve/viewer-server.js';
import { writeSyntheticRecording } from '../../helpers/recordings.js';
import { newViewerPage, waitForPaint } from '../helpers/browser.js';
import { useChromium } from '../helpers/browser-hooks.js';

const TOKEN = 'address-bar-token-0123';
let live: LiveRecording;
let server: RunningServer;
const chromium = useChromium('viewer-token-');

beforeAll(async () => {
  const path = chromium.path('run.db');
  writeSyntheticRecording(path, 20);
  live = new LiveRecording(path);
  server = await startViewerServer({
    recordingPath: path,
    token: TOKEN,
    routes: live.routes,
    viewerRoot: chromium.viewerRoot,
  });
});

afterAll(async () => {
  live?.close();
  await server?.close();
});

describe('the token in the printed URL', () => {
  it('leaves the address bar once read; the page keeps working, reloaded too', async () => {
    expect(server.url).toContain(`token=${TOKEN}`);
    const { page, problems } = await newViewerPage(chromium);
    await page.goto(server.url);
    await waitForPaint(page);
    const address = new URL(page.url());
    expect(address.searchParams.has('token')).toBe(false);
    expect(address.searchParams.get('url')).toBe('recording.db');
    expect(address.searchParams.get('live')).toBe('1');
    expect(await page.evaluate(() => history.length)).toBe(2); // about:blank, then the page: no entry kept the token
    expect(await page.evaluate(async () => (await fetch('metrics')).status)).toBe(200); // the cookie carries it
    await page.reload();
    await waitForPaint(page);
    expect(page.url()).not.toContain(TOKEN);
    expect(problems).toEqual({ errors: [], dialogs: [] });
  });
});
