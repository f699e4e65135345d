// The Grafana dashboard shipped in schemas/ asks for what /metrics really exports: its metric
// names and labels are checked against an exposition of a recording (the real Prometheus runs its
// queries in prometheus-server.test.ts).

import { describe, expect, it } from 'vitest';
import { PrometheusMetrics } from '../../cli/serve/prometheus-metrics.js';
import { RecordingTail } from '../../cli/serve/recording-tail.js';
import { dashboardExprs, readDashboard } from '../helpers/grafana-dashboard.js';
import { parsePrometheusText } from '../helpers/prometheus-parse.js';
import { hist, openRecording, snapshot } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

/** Sample names and their label names, as GET /metrics exports them for a small recording. */
function exported(): Map<string, Set<string>> {
  const path = tmp('metrics.db');
  const writer = openRecording(path);
  writer.append({
    ...snapshot(0, [hist(['read'], [[1, 1, 10]])]),
    health: [{ kind: 'drop', count: 1, message: 'x' }],
  });
  const tail = new RecordingTail(path);
  tail.start(60_000);
  const metrics = new PrometheusMetrics(tail);
  const names = new Map<string, Set<string>>();
  for (const f of parsePrometheusText(metrics.exposition()))
    for (const s of f.samples)
      names.set(
        s.name,
        new Set([...(names.get(s.name) ?? []), ...Object.keys(s.labels), 'instance', 'job']),
      );
  tail.stop();
  writer.finish({ end_reason: 'test', status: 'complete' });
  return names;
}

describe('schemas/grafana-dashboard.json', () => {
  const dashboard = readDashboard();

  it('has a heat map panel per host over the cumulative le buckets', () => {
    const heatmap = dashboard.panels.find((p) => p.type === 'heatmap')!;
    expect(heatmap.repeat).toBe('host');
    expect(heatmap.targets[0]!.format).toBe('heatmap');
    expect(heatmap.targets[0]!.expr).toMatch(
      /^sum by \(le\) \(increase\(heat_tracer_latency_seconds_bucket\{host=~"\$\{host\}"/,
    );
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['host', 'key']);
  });

  it('names only metrics and labels that /metrics exports', () => {
    const names = exported();
    const queries = [
      ...dashboardExprs(dashboard),
      ...dashboard.templating.list.map((v) => v.query.query),
    ];
    for (const expr of queries) {
      const metrics = expr.match(/heat_tracer_\w+/g)!;
      expect(metrics.length, expr).toBeGreaterThan(0);
      for (const m of metrics) expect([...names.keys()], expr).toContain(m);
      const labels = [...expr.matchAll(/(?:by \(|[{,] ?)(\w+)(?:=~|[,)])/g)].flatMap((x) =>
        x[1]!.split(','),
      );
      for (const l of labels)
        expect([...metrics.flatMap((m) => [...names.get(m)!])], `${l} in ${expr}`).toContain(l);
    }
  });
});
