// DNS rebinding: a page whose name is made to resolve to 127.0.0.1 is same-origin with the server
// as far as the browser knows. The server answers only Hosts that name it (loopback, the bound
// address, --allow-host names; any IP literal when bound to every interface) and refuses
// cross-site Origins. Raw requests with spoofed headers, heat-view's flag, and Chromium itself
// mapping an outside name to 127.0.0.1.

import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveRecording } from '../../cli/serve/live-recording.js';
import { startViewerServer, type RunningServer } from '../../cli/serve/viewer-server.js';
import { rawStatus, requestHead } from '../helpers/raw-http.js';
import { writeSyntheticRecording } from '../helpers/recordings.js';
import { fakeViewer } from '../helpers/fake-viewer.js';
import { startHeatView } from '../helpers/heat-view.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { CHROMIUM_ARGS } from '../helpers/chromium.js';

const tmp = useTempDir();
const ROUTES = ['/', '/recording.db', '/live', '/metrics'];

let recording: string;
beforeAll(() => {
  recording = tmp('rec.db');
  writeSyntheticRecording(recording, 5);
});

/** A server as heat-view runs it (with /live and /metrics), stopped after the file's tests. */
function useServer(
  options: { host?: string; allowHosts?: string[] } = {},
): () => { origin: string; port: string } {
  let server: RunningServer;
  let live: LiveRecording;
  beforeAll(async () => {
    live = new LiveRecording(recording);
    server = await startViewerServer({
      recordingPath: recording,
      routes: live.routes,
      viewerRoot: fakeViewer(tmp('viewer')),
      ...options,
    });
  });
  afterAll(async () => {
    live.close();
    await server.close();
  });
  return () => {
    const port = new URL(server.url).port;
    return { origin: `http://127.0.0.1:${port}`, port };
  };
}

describe('bound to 127.0.0.1', () => {
  const server = useServer();

  it.each([
    'evil.example',
    'evil.example:PORT',
    '127.0.0.1.evil.example:PORT',
    'localhost.evil.example',
    'localhost.:PORT',
    '[::1',
    'user@127.0.0.1:PORT',
    '',
  ])('refuses Host "%s" on every route', async (host) => {
    const { origin, port } = server();
    for (const route of ROUTES)
      expect(
        await rawStatus(origin, requestHead(origin, route, { Host: host.replace('PORT', port) })),
      ).toBe(403);
  });

  it('refuses a request without a Host', async () => {
    const { origin } = server();
    expect(await rawStatus(origin, 'GET /recording.db HTTP/1.0')).toBe(403);
  });

  it.each([
    '127.0.0.1:PORT',
    '127.0.0.1',
    'localhost:PORT',
    'LOCALHOST:PORT',
    '127.0.0.2:PORT',
    '[::1]:PORT',
  ])('answers Host "%s"', async (host) => {
    const { origin, port } = server();
    for (const route of ROUTES)
      expect(
        await rawStatus(origin, requestHead(origin, route, { Host: host.replace('PORT', port) })),
      ).toBe(200);
  });

  it.each([
    'http://evil.example',
    'http://evil.example:PORT',
    'null',
    'http://127.0.0.1:1',
    'https://127.0.0.1:PORT',
    'http://localhost:PORT',
  ])('refuses Origin "%s"', async (from) => {
    const { origin, port } = server();
    for (const route of ROUTES)
      expect(
        await rawStatus(origin, requestHead(origin, route, { Origin: from.replace('PORT', port) })),
      ).toBe(403);
  });

  it("answers its own page's Origin", async () => {
    const { origin } = server();
    for (const route of ROUTES)
      expect(await rawStatus(origin, requestHead(origin, route, { Origin: origin }))).toBe(200);
  });

  it('refuses a page that a rebinding resolved to 127.0.0.1 (Chromium)', async () => {
    const { port } = server();
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP rebind.example 127.0.0.1'],
    });
    try {
      const page = await browser.newPage();
      const answer = await page.goto(`http://rebind.example:${port}/`);
      expect(answer?.status()).toBe(403);
      const reads = await page.evaluate(async () =>
        Promise.all(
          ['/recording.db', '/metrics', '/live'].map(async (p) => (await fetch(p)).status),
        ),
      );
      expect(reads).toEqual([403, 403, 403]);
    } finally {
      await browser.close();
    }
  });
});

describe('names the user allowed', () => {
  const server = useServer({ allowHosts: ['viewer.example'] });

  it('answers them, and pages served under them', async () => {
    const { origin, port } = server();
    expect(
      await rawStatus(origin, requestHead(origin, '/', { Host: `viewer.example:${port}` })),
    ).toBe(200);
    expect(
      await rawStatus(
        origin,
        requestHead(origin, '/live', {
          Host: `viewer.example:${port}`,
          Origin: `http://viewer.example:${port}`,
        }),
      ),
    ).toBe(200);
    expect(
      await rawStatus(origin, requestHead(origin, '/', { Host: `other.example:${port}` })),
    ).toBe(403);
  });

  it('with heat-view --allow-host', async () => {
    const view = await startHeatView([recording, '--allow-host', 'viewer.example']);
    const { origin } = view;
    const port = new URL(origin).port;
    expect(
      await rawStatus(origin, requestHead(origin, '/', { Host: `viewer.example:${port}` })),
    ).toBe(200);
    expect(
      await rawStatus(origin, requestHead(origin, '/', { Host: `evil.example:${port}` })),
    ).toBe(403);
    view.child.kill('SIGTERM');
    expect((await view.done).code).toBe(0);
  });
});

describe('bound to every interface', () => {
  const server = useServer({ host: '0.0.0.0' });

  it('takes any address as Host (only names can be rebound), then asks for the token', async () => {
    const { origin, port } = server();
    expect(await rawStatus(origin, requestHead(origin, '/', { Host: `10.1.2.3:${port}` }))).toBe(
      401,
    );
    expect(await rawStatus(origin, requestHead(origin, '/', { Host: `[fe80::1]:${port}` }))).toBe(
      401,
    );
    expect(
      await rawStatus(origin, requestHead(origin, '/', { Host: `evil.example:${port}` })),
    ).toBe(403);
  });
});
