// The server is safe by default: loopback, read-only, token-gated beyond loopback, confined to
// the viewer folder, with security headers; and nothing sent to it reaches the tracer.

import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewerServer, type RunningServer } from '../../cli/serve/viewer-server.js';
import { writeSyntheticRecording } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

/** A raw request, so paths like /../ reach the server exactly as written. */
function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (d: string) => (body += d))
        .on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function viewerRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'heat-viewer-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>viewer</title>');
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  symlinkSync('/etc/passwd', join(root, 'assets', 'passwd-link'));
  writeFileSync(join(root, '.secret'), 'dot-file');
  return root;
}

describe('viewer server on loopback', () => {
  let server: RunningServer;
  const recording = tmp('rec.db');
  beforeAll(async () => {
    writeSyntheticRecording(recording, 5);
    server = await startViewerServer({ recordingPath: recording, viewerRoot: viewerRoot() });
  });
  afterAll(() => server.close());

  it('binds 127.0.0.1 and serves the viewer and the recording without a token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?url=recording\.db&name=rec\.db$/);
    expect(server.token).toBeNull();
    expect((await send(server.url, 'GET', '/')).body).toContain('<title>viewer</title>');
    const db = await send(server.url, 'GET', '/recording.db');
    expect(db.status).toBe(200);
    expect(db.body.startsWith('SQLite format 3')).toBe(true);
  });

  it('sends the security headers on every answer, errors included', async () => {
    for (const path of ['/', '/nope', '/recording.db']) {
      const res = await send(server.url, 'GET', path);
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it.each([
    '/../../../etc/passwd',
    '/assets/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/assets/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/assets/..%2f..%2fetc%2fpasswd',
    '/assets/passwd-link',
    '/.secret',
    '/%00index.html',
    '/assets/%ZZ',
  ])('refuses %s', async (path) => {
    const res = await send(server.url, 'GET', path);
    expect([403, 404]).toContain(res.status);
    expect(res.body).not.toContain('root:');
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('answers %s with 405', async (method) => {
    for (const path of ['/', '/recording.db', '/live', '/metrics']) {
      const res = await send(server.url, method, path);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
  });
});

describe('viewer server beyond loopback', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const recording = tmp('rec2.db');
    writeSyntheticRecording(recording, 3);
    server = await startViewerServer({
      recordingPath: recording,
      host: '0.0.0.0',
      viewerRoot: viewerRoot(),
    });
  });
  afterAll(() => server.close());

  it('generates a token and prints it in the URL', () => {
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(server.url).toContain(`token=${server.token}`);
  });

  it('answers 401 without the token, whatever address the request comes from', async () => {
    const base = server.url.replace('0.0.0.0', '127.0.0.1');
    for (const path of ['/', '/recording.db', '/live', '/metrics', '/assets/app.js']) {
      expect((await send(base, 'GET', path)).status).toBe(401);
      expect((await send(base, 'GET', `${path}?token=wrong`)).status).toBe(401);
    }
  });

  it('accepts the token in the URL (then as a cookie) or as a bearer header', async () => {
    const base = server.url.replace('0.0.0.0', '127.0.0.1');
    const first = await send(base, 'GET', `/?token=${server.token}`);
    expect(first.status).toBe(200);
    const cookie = String((first.headers['set-cookie'] as string[])[0]).split(';')[0]!;
    expect((await send(base, 'GET', '/recording.db', { cookie })).status).toBe(200);
    expect(
      (await send(base, 'GET', '/assets/app.js', { authorization: `Bearer ${server.token}` }))
        .status,
    ).toBe(200);
  });
});

describe('refusing to serve a missing viewer build', () => {
  it('says how to build it', async () => {
    const recording = tmp('rec3.db');
    writeSyntheticRecording(recording, 1);
    await expect(
      startViewerServer({ recordingPath: recording, viewerRoot: tmp('no-viewer') }),
    ).rejects.toThrow(/the viewer is not built/);
    expect(readFileSync(recording).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});
