// The real Prometheus server scrapes two `heat-record --serve` recorders, each in its own UTS
// namespace so os.hostname() (the recording's meta.host, /metrics' host label) differs as on two
// machines. Per host, PromQL's p99 over 30 s must land in the recording's own p99 bucket for the
// seconds that window's rate covers (told by heat_tracer_seconds_recorded in the same scrapes).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { percentileBucket } from '../../cli/model/percentile.js';
import { RecordingReader } from '../../cli/store/recording-reader.js';
import { finished, HEAT_RECORD, waitFor, type CliResult } from '../helpers/cli.js';
import { dashboardExprs, fillVariables, readDashboard } from '../helpers/grafana-dashboard.js';
import {
  poll,
  PROMETHEUS,
  startPrometheus,
  type PrometheusServer,
} from '../helpers/prometheus-server.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const WINDOW_S = 30;
const P99 = `histogram_quantile(0.99, sum by (le, host) (rate(heat_tracer_latency_seconds_bucket[${WINDOW_S}s])))`;

interface Recorder {
  host: string;
  path: string;
  target: string;
  stop: () => Promise<CliResult>;
}
const running: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(running.map((stop) => stop()));
});

/** heat-record --serve with the synthetic tracer, its hostname set to `host` in a new UTS namespace. */
async function startRecorder(host: string, seed: number): Promise<Recorder> {
  const path = tmp(`${host}.db`);
  const asRoot = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
  const child = spawn(
    'unshare',
    [
      ...asRoot,
      '--uts',
      'sh',
      '-c',
      'hostname "$0" && exec "$@"',
      host,
      process.execPath,
      HEAT_RECORD,
      '-o',
      path,
      '--tracer',
      'synthetic',
      '--seed',
      String(seed),
      '--duration',
      '3m',
      '--serve',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const done = finished(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = () => {
    child.kill('SIGINT');
    return done;
  };
  running.push(stop);
  const url = await waitFor(
    () => /live at (\S+)/.exec(stderr)?.[1],
    60_000,
    `"live at" from the ${host} recorder (${stderr})`,
  );
  return { host, path, target: new URL(url).host, stop };
}

/** The recording's p99 bucket over its seconds number `first`..`last` (0-based, in t order), all keys summed. */
function recordedP99(path: string, first: number, last: number): { lo: number; hi: number } {
  const reader = RecordingReader.open(path);
  try {
    const seconds = reader.seconds();
    const sums = new Map<number, bigint>();
    for (const c of reader.totals(seconds[first]!.t, seconds[last]!.t))
      sums.set(c.bucketId, (sums.get(c.bucketId) ?? 0n) + c.n);
    const bucket = percentileBucket(
      reader.buckets().map((b) => ({ ...b, count: sums.get(b.id) ?? 0n })),
      99,
    )!;
    return { lo: Number(bucket.lo) / 1e6, hi: Number(bucket.hi) / 1e6 }; // µs -> s, as /metrics' le
  } finally {
    reader.close();
  }
}

/** Waits until Prometheus holds a full window of scrapes from every target. */
async function fullWindow(prometheus: PrometheusServer, targets: number): Promise<void> {
  await poll(
    async () => {
      const counts = await prometheus.query(
        `count_over_time(heat_tracer_seconds_recorded[${WINDOW_S}s])`,
        Date.now() / 1000,
      );
      return counts.length === targets && counts.every((r) => Number(r.value![1]) >= WINDOW_S - 2);
    },
    90_000,
    `${WINDOW_S} s of scrapes from ${targets} recorders`,
  );
}

// Skipped where Prometheus is not installed, except in CI (process.env.CI): there it must run.
const canRun = existsSync(PROMETHEUS) || Boolean(process.env.CI);
describe.runIf(canRun)('a real Prometheus scraping two recorders', () => {
  it(
    "puts each host's PromQL p99 over 30 s in the recording's own p99 bucket",
    { timeout: 150_000 },
    async () => {
      const recorders = await Promise.all([startRecorder('heat-a', 1), startRecorder('heat-b', 7)]);
      const prometheus = await startPrometheus(
        tmp('prometheus'),
        recorders.map((r) => r.target),
      );
      running.push(async () => {
        prometheus.child.kill('SIGTERM');
        await prometheus.done;
      });
      await fullWindow(prometheus, recorders.length);

      const at = Date.now() / 1000;
      const p99 = await prometheus.query(P99, at);
      expect(p99.map((r) => r.metric.host).sort()).toEqual(['heat-a', 'heat-b']);
      for (const r of recorders) {
        const [seen] = await prometheus.query(
          `heat_tracer_seconds_recorded{instance="${r.target}"}[${WINDOW_S}s]`,
          at,
        );
        const values = seen!.values!.map(([, v]) => Number(v));
        // rate() takes the window's first and last scrape: the seconds committed between them.
        const bucket = recordedP99(r.path, values[0]!, values.at(-1)! - 1);
        const promql = Number(p99.find((s) => s.metric.host === r.host)!.value![1]);
        console.log(
          `${r.host}: PromQL p99 ${promql} s over recording seconds #${values[0]}..#${values.at(-1)! - 1}; recording's p99 bucket [${bucket.lo}, ${bucket.hi}] s`,
        );
        // Integer µs: the bucket [lo, hi] holds values in (lo - 1 µs, hi], where Prometheus interpolates.
        expect(promql).toBeGreaterThan(bucket.lo - 1e-6);
        expect(promql).toBeLessThanOrEqual(bucket.hi);
      }
      // The shipped Grafana dashboard's queries, as Grafana sends them, parse; the latency ones
      // answer (the synthetic tracer has no health events to show).
      for (const expr of dashboardExprs(readDashboard())) {
        const result = await prometheus.query(
          fillVariables(expr, { host: 'heat-a|heat-b', key: '.*' }),
          at,
        );
        if (expr.includes('latency')) expect(result.length, expr).toBeGreaterThan(0);
      }
    },
  );
});
