// heat-view on a recording another heat-record is still writing: it tails the file (WAL lets it
// read beside the writer), says when the recording ends, and /metrics matches the file.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { finished, firstSecondRecorded, HEAT_VIEW, startCli, waitFor } from '../helpers/cli.js';
import { parsePrometheusText } from '../helpers/prometheus-parse.js';
import { connectSse, secondIds } from '../helpers/sse-client.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

describe('heat-view on a live recording', () => {
  it('tails new seconds, reports the end, and serves matching /metrics', async () => {
    const path = tmp('tail.db');
    const recorder = startCli(['-o', path, '--tracer', 'synthetic', '--duration', '7s', '--quiet']);
    const recorded = finished(recorder);
    await firstSecondRecorded(path);
    const view = startCli([path, '--no-open'], { bin: HEAT_VIEW });
    let out = '';
    view.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const url = await waitFor(
      () => /serving .* at (\S+)/.exec(out)?.[1],
      20_000,
      'the heat-view URL',
    );
    const origin = new URL(url).origin;
    const sse = connectSse(`${origin}/live`);
    expect((await recorded).code).toBe(0);
    await waitFor(() => sse.events.some((e) => e.event === 'end'), 10_000, 'the end message');
    const ids = secondIds(sse.events);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1]! + 1);
    const db = new Database(path, { readonly: true });
    expect(ids.at(-1)).toBe(
      (db.prepare('SELECT max(t) AS t FROM second').get() as { t: number }).t,
    );

    const families = parsePrometheusText(await (await fetch(`${origin}/metrics`)).text());
    const latency = families.find((f) => f.name === 'heat_tracer_latency_seconds')!;
    expect(latency.type).toBe('histogram');
    const totals = new Map(
      (
        db.prepare('SELECT key, sum(n) AS n FROM counts GROUP BY key').all() as {
          key: string;
          n: number;
        }[]
      ).map((r) => [r.key, r.n]),
    );
    const sample = (name: string, key: string, le?: string) =>
      latency.samples.find((s) => s.name === name && s.labels.key === key && s.labels.le === le)
        ?.value;
    expect(new Set(latency.samples.map((s) => s.labels.key))).toEqual(new Set(totals.keys()));
    for (const [key, total] of totals) {
      expect(sample('heat_tracer_latency_seconds_count', key)).toBe(total);
      expect(sample('heat_tracer_latency_seconds_bucket', key, '+Inf')).toBe(total);
    }
    // Every bucket checked against SQL: events of a key at or below each upper bound.
    for (const s of latency.samples.filter(
      (x) => x.name.endsWith('_bucket') && x.labels.le !== '+Inf',
    )) {
      // A bound a key never reached is listed with 0 (every key of a scheme lists the same bounds).
      const atOrBelow = (
        db
          .prepare('SELECT coalesce(sum(n), 0) AS n FROM counts WHERE key = ? AND hi <= ?')
          .get(s.labels.key, Math.round(Number(s.labels.le) * 1e6)) as { n: number }
      ).n;
      expect(s.value).toBe(atOrBelow);
    }
    const seconds = families.find((f) => f.name === 'heat_tracer_seconds_recorded')!;
    expect(seconds.samples[0]!.value).toBe(
      (db.prepare('SELECT count(*) AS n FROM second').get() as { n: number }).n,
    );
    sse.close();
    view.kill('SIGINT');
    expect((await finished(view)).signal ?? 'exited').toBeTruthy();
  }, 60_000);
});
