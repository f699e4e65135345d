// /metrics counts dropped live clients, not what they missed: one client that stops reading is
// +1 however far behind it falls. A client that stops reading while backfilling is not dropped at
// all: backfill waits for its socket. (Before, one stalled backfill on a day-long recording added
// 85,800: a drop counted for every second it would have been sent.)

import { describe, expect, it } from 'vitest';
import { LiveRecording } from '../../cli/serve/live-recording.js';
import { startViewerServer } from '../../cli/serve/viewer-server.js';
import { SyntheticGenerator } from '../../cli/tracers/synthetic.js';
import { stalledClient } from '../helpers/raw-http.js';
import { openRecording, syntheticSecond } from '../helpers/recordings.js';
import { fakeViewer } from '../helpers/fake-viewer.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const BEFORE = 1500;

describe('the dropped-clients counter', () => {
  it('rises by one per client dropped, and not for a stalled backfill', async () => {
    const path = tmp('drop.db');
    const writer = openRecording(path);
    const gen = new SyntheticGenerator({ keys: 40 });
    let t = 0;
    const append = () => writer.append(syntheticSecond(gen, t++));
    while (t < BEFORE) append();
    const live = new LiveRecording(path, { maxBufferedBytes: 256 * 1024, pollMs: 50 });
    const server = await startViewerServer({
      recordingPath: path,
      routes: live.routes,
      viewerRoot: fakeViewer(tmp('viewer')),
    });
    const { origin } = new URL(server.url);
    const backfilling = await stalledClient(origin, '/live?since=-1');
    const following = await stalledClient(origin, '/live');
    // Live seconds until the following client is dropped, then 300 more.
    while (live.stream.dropped === 0) {
      append();
      live.tail.poke();
      await new Promise((r) => setImmediate(r));
    }
    for (const end = t + 300; t < end;) {
      append();
      live.tail.poke();
    }
    const metrics = await (await fetch(`${origin}/metrics`)).text();
    expect(live.stream.dropped).toBe(1);
    expect(/^heat_tracer_live_clients_dropped_total (\d+)$/m.exec(metrics)?.[1]).toBe('1');
    expect(live.stream.clientCount).toBe(1); // the stalled backfill is still connected, waiting
    for (const s of [backfilling, following]) s.destroy();
    live.close();
    writer.close();
    await server.close();
  }, 120_000);
});
