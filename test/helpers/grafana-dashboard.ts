// Reads the shipped Grafana dashboard (schemas/grafana-dashboard.json) and fills in its variables
// the way Grafana does before sending a query to Prometheus.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../cli/package-root.js';

export interface DashboardPanel {
  type: string;
  title: string;
  repeat?: string;
  targets: { expr: string; format: string }[];
}

export interface Dashboard {
  panels: DashboardPanel[];
  templating: { list: { name: string; query: { query: string } }[] };
}

export function readDashboard(): Dashboard {
  return JSON.parse(
    readFileSync(join(packageRoot(), 'schemas/grafana-dashboard.json'), 'utf8'),
  ) as Dashboard;
}

/** Every PromQL expression of the dashboard's panels. */
export function dashboardExprs(dashboard: Dashboard): string[] {
  return dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
}

/** The expression as Grafana sends it: variables replaced, `$__rate_interval` as `rate`. */
export function fillVariables(expr: string, values: Record<string, string>, rate = '30s'): string {
  return expr
    .replace(/\$__rate_interval/g, rate)
    .replace(/\$\{?(\w+)\}?/g, (all, name: string) => values[name] ?? all);
}
