// Load on loopback: 100 live clients for 60 s, plus one that never reads. Every client gets
// every second exactly once; the stalled one holds up neither them nor the recording.

import Database from 'better-sqlite3';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startLiveRecorder } from '../helpers/live-recorder.js';
import { connectSse, secondIds } from '../helpers/sse-client.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const CLIENTS = 100;
const SECONDS = 60;

describe('100 live clients for 60 s', () => {
  it('each gets every second exactly once, and a stalled client delays nothing', async () => {
    const path = tmp('load.db');
    const rec = await startLiveRecorder([
      '-o',
      path,
      '--tracer',
      'synthetic',
      '--keys',
      '20',
      '--serve',
      '--duration',
      `${SECONDS}s`,
      '--quiet',
    ]);
    const port = Number(new URL(rec.base).port);
    const stalled = connect(port, '127.0.0.1');
    stalled.write('GET /live?since=-1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    stalled.pause();
    const clients = Array.from({ length: CLIENTS }, () => connectSse(`${rec.base}live?since=-1`));
    const result = await rec.done;
    await Promise.all(clients.map((c) => c.closed));
    stalled.destroy();
    expect(result.code, result.stderr).toBe(0);

    const db = new Database(path, { readonly: true });
    const recorded = (db.prepare('SELECT t FROM second ORDER BY t').all() as { t: number }[]).map(
      (r) => r.t,
    );
    expect(recorded.length).toBeGreaterThanOrEqual(SECONDS);
    for (const c of clients) {
      expect(secondIds(c.events)).toEqual(recorded);
      expect(c.events.at(-1)!.event).toBe('end');
    }
    // The recording kept its pace: each second committed within a second of when it was due
    // (start + t + 1 s); a recorder held up by a client would fall further behind every second.
    const startMs = Number(
      (db.prepare("SELECT value FROM meta WHERE key = 'start_ms'").get() as { value: string })
        .value,
    );
    const lateness = (
      db.prepare('SELECT t, wall_ms FROM second WHERE partial = 0 ORDER BY t').all() as {
        t: number;
        wall_ms: number;
      }[]
    ).map((r) => r.wall_ms - (startMs + (r.t + 1) * 1000));
    expect(Math.max(...lateness)).toBeLessThan(1000);
  }, 150_000);
});
