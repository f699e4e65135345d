// heat-record --serve --stacks with real bpftrace: each second's stacks arrive with it on /live
// (defs of the stacks it names + [seriesId, stackId, bucketId, count]), equal to its histogram
// at or above the threshold, and a client that reconnects gets the same stacks in the backfill.

import type { EventSourceMessage } from 'eventsource-parser';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { LiveSecond } from '../../schemas/format.js';
import { firstSecondRecorded, waitFor } from '../helpers/cli.js';
import { startLiveRecorder } from '../helpers/live-recorder.js';
import { invalidLiveEvents } from '../helpers/live-message-schema.js';
import { compileWorkload } from '../helpers/sleep-workload.js';
import { connectSse } from '../helpers/sse-client.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { bpftraceSleepScript } from '../helpers/sleep-scripts.js';

const tmp = useTempDir();
const SCRIPT = bpftraceSleepScript('two-path');

const seconds = (events: EventSourceMessage[]) =>
  events.filter((e) => e.event === 'second').map((e) => JSON.parse(e.data) as LiveSecond);

/** The live second whose stacks name slow_path, if one has come. */
function withSlowPath(events: EventSourceMessage[]): LiveSecond | undefined {
  return seconds(events).find((m) => m.stacks?.defs.some((d) => d.frames.includes('slow_path')));
}

describe('live stacks (real bpftrace, root)', () => {
  it("streams each second's stacks with it, backfill included", async () => {
    const exe = compileWorkload('two-path', tmp('two-path'), ['-O1', '-fno-omit-frame-pointer']);
    const path = tmp('live-stacks.db');
    const recorder = await startLiveRecorder([
      '-o',
      path,
      '--quiet',
      '--serve',
      '--stacks',
      '--stacks-above',
      '1ms',
      '-e',
      SCRIPT,
    ]);
    await firstSecondRecorded(path);
    const live = connectSse(`${recorder.base}live`);
    const workload = spawn(exe, ['3'], { stdio: ['pipe', 'ignore', 'inherit'] });
    try {
      const m = await waitFor(() => withSlowPath(live.events), 60_000, 'a second with stacks');
      expect(invalidLiveEvents(live.events)).toEqual([]); // the stacks part as the schema says
      const defs = new Map(m.stacks!.defs.map((d) => [d.id, d.frames]));
      const bucketLo = new Map(m.buckets.map((b) => [b.id, Number(b.lo)]));
      const seriesIds = new Set(m.series.map((s) => s.id));
      for (const [seriesId, stackId, bucketId] of m.stacks!.counts) {
        expect(seriesIds.has(seriesId)).toBe(true);
        expect(defs.has(stackId)).toBe(true);
        expect(bucketLo.has(bucketId)).toBe(true);
      }
      // At or above the threshold, the second's stack counts are its histogram counts.
      const sumBy = (rows: [number, number][]) => {
        const out = new Map<number, number>();
        for (const [bucketId, n] of rows)
          if (bucketLo.get(bucketId)! >= 1000) out.set(bucketId, (out.get(bucketId) ?? 0) + n);
        return out;
      };
      expect(sumBy(m.stacks!.counts.map((c) => [c[2], Number(c[3])]))).toEqual(
        sumBy(m.counts.map((c) => [c[1], Number(c[2])])),
      );

      const again = connectSse(`${recorder.base}live`, { 'Last-Event-ID': String(m.t - 1) });
      const backfilled = await waitFor(
        () => seconds(again.events).find((s) => s.t === m.t),
        30_000,
        `second ${m.t} in the backfill`,
      );
      again.close();
      expect(backfilled.stacks).toEqual(m.stacks);
    } finally {
      live.close();
      recorder.child.kill('SIGINT');
      await recorder.done;
      workload.stdin.end();
      await once(workload, 'close');
    }
  }, 120_000);
});
