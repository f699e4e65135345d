// The live stream end to end: heat-record --serve pushes every committed second; a dropped
// connection resumes with Last-Event-ID and gets every second exactly once; a stalled client is
// dropped without holding anyone up; a real bpftrace recording streams live.

import Database from 'better-sqlite3';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LiveStream } from '../../cli/serve/live-stream.js';
import { RecordingTail } from '../../cli/serve/recording-tail.js';
import { startViewerServer } from '../../cli/serve/viewer-server.js';
import { SyntheticGenerator } from '../../cli/tracers/synthetic.js';
import { waitFor } from '../helpers/cli.js';
import { startLiveRecorder } from '../helpers/live-recorder.js';
import { openRecording, START_MS } from '../helpers/recordings.js';
import { connectSse, secondIds } from '../helpers/sse-client.js';
import { fakeViewer } from '../helpers/fake-viewer.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('heat-record --serve (synthetic)', () => {
  it('streams each second once, and a reconnect with Last-Event-ID backfills the gap exactly', async () => {
    const rec = await startLiveRecorder([
      '-o',
      tmp('live.db'),
      '--tracer',
      'synthetic',
      '--serve',
      '--duration',
      '9s',
      '--quiet',
    ]);
    const first = connectSse(`${rec.base}live`);
    await waitFor(() => secondIds(first.events).length >= 2, 10_000, 'two live seconds');
    first.close();
    const lastSeen = secondIds(first.events).at(-1)!;
    await sleep(2500); // seconds go by while disconnected
    const second = connectSse(`${rec.base}live`, { 'Last-Event-ID': String(lastSeen) });
    const result = await rec.done;
    await second.closed;
    expect(result.code, result.stderr).toBe(0);
    const all = [...secondIds(first.events), ...secondIds(second.events)];
    const db = new Database(tmp('live.db'), { readonly: true });
    const recorded = (db.prepare('SELECT t FROM second ORDER BY t').all() as { t: number }[]).map(
      (r) => r.t,
    );
    expect(all).toEqual(recorded.filter((t) => t >= all[0]!)); // every second after the first seen, once, in order
    expect(second.events.at(-1)!.event).toBe('end');
    // With the status and end time the file now holds, for a viewer that opened it while recording.
    const endMs = Number(
      (db.prepare("SELECT value FROM meta WHERE key = 'end_ms'").get() as { value: string }).value,
    );
    expect(JSON.parse(second.events.at(-1)!.data)).toMatchObject({
      type: 'end',
      reason: 'duration',
      status: 'complete',
      endMs,
    });
    // The payload is the recording's: the counts of one second match the file.
    const msg = JSON.parse(second.events.find((e) => e.event === 'second')!.data);
    const total = (msg.counts as [number, number, number][]).reduce((s, c) => s + c[2], 0);
    expect(total).toBe(
      (db.prepare('SELECT events FROM second WHERE t = ?').get(msg.t) as { events: number }).events,
    );
  }, 60_000);
});

const SECONDS = 800;

describe('a stalled client', () => {
  it('is dropped once its buffer passes the bound, while others get every second', async () => {
    const path = tmp('stall.db');
    const writer = openRecording(path);
    const tail = new RecordingTail(path);
    tail.start(50);
    const stream = new LiveStream(tail, { maxBufferedBytes: 256 * 1024 });
    const server = await startViewerServer({
      recordingPath: path,
      routes: { '/live': stream.handle },
      viewerRoot: fakeViewer(tmp('viewer')),
    });
    const healthy = connectSse(`${new URL(server.url).origin}/live?since=-1`);
    const stalled = connect(Number(new URL(server.url).port), '127.0.0.1');
    stalled.write('GET /live?since=-1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    stalled.pause(); // never read: the kernel buffers fill, then node's
    const gen = new SyntheticGenerator({ keys: 40 });
    const started = Date.now();
    // Seconds ten times faster than real time, so the stalled client falls ~8 KB behind every 100 ms.
    for (let t = 0; t < SECONDS; t++) {
      writer.append({
        t,
        wallMs: START_MS + t * 1000,
        histograms: gen.second(t),
        health: [],
        partial: false,
      });
      tail.poke();
      await sleep(2);
    }
    const writeMs = Date.now() - started;
    await waitFor(
      () => secondIds(healthy.events).length === SECONDS,
      20_000,
      `the healthy client to get all ${SECONDS} seconds`,
    );
    expect(secondIds(healthy.events)).toEqual(Array.from({ length: SECONDS }, (_, t) => t));
    expect(stream.dropped).toBe(1);
    expect(stream.clientCount).toBe(1);
    expect(writeMs).toBeLessThan(20_000);
    healthy.close();
    stalled.destroy();
    stream.close();
    tail.stop();
    writer.close();
    await server.close();
  }, 60_000);
});

describe('heat-record --serve (real bpftrace)', () => {
  it('streams at least 3 consecutive seconds of a real recording', async () => {
    const rec = await startLiveRecorder([
      '-o',
      tmp('bpf-live.db'),
      '--serve',
      '--duration',
      '8s',
      '--quiet',
    ]);
    const sse = connectSse(`${rec.base}live`);
    await waitFor(() => secondIds(sse.events).length >= 4, 20_000, 'four live seconds');
    const ids = secondIds(sse.events);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1]! + 1);
    const msg = JSON.parse(sse.events.filter((e) => e.event === 'second')[1]!.data);
    expect(
      msg.series.some(
        (s: { key: string[] }) =>
          s.key[0] === 'read' || s.key[0] === 'futex' || s.key[0] === 'epoll_wait',
      ),
    ).toBe(true);
    sse.close();
    expect((await rec.done).code).toBe(0);
  }, 60_000);
});
