// Starts the real Prometheus server (Debian's `prometheus` package, /usr/bin/prometheus) with its
// own config and storage in a temp folder on a free loopback port, and queries its HTTP API.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { finished, type CliResult } from './cli.js';

export const PROMETHEUS = '/usr/bin/prometheus';

export interface PrometheusServer {
  child: ChildProcess;
  /** http://127.0.0.1:PORT */
  base: string;
  done: Promise<CliResult>;
  /** Instant query at `timeS` (Unix seconds): the API's data.result. */
  query(promql: string, timeS: number): Promise<PromResult[]>;
}

/** One series of an instant query: a vector has `value`, a range selector (matrix) `values`. */
export interface PromResult {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

/** A loopback port that was free a moment ago (Prometheus takes no port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
  });
}

/** Starts Prometheus scraping `targets` (host:port) every second; resolves once /-/ready answers 200. */
export async function startPrometheus(dir: string, targets: string[]): Promise<PrometheusServer> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: heat',
      '    static_configs:',
      `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const done = finished(child);
  const base = `http://127.0.0.1:${port}`;
  const exited = done.then((r) => {
    throw new Error(`prometheus exited before it was ready (${r.code}): ${r.stderr}`);
  });
  await Promise.race([
    exited,
    poll(
      async () => (await fetch(`${base}/-/ready`).catch(() => null))?.status === 200,
      30_000,
      'Prometheus /-/ready',
    ),
  ]);
  exited.catch(() => {}); // a later exit is the test's business
  return { child, base, done, query: (promql, timeS) => query(base, promql, timeS) };
}

async function query(base: string, promql: string, timeS: number): Promise<PromResult[]> {
  const res = await fetch(
    `${base}/api/v1/query?${new URLSearchParams({ query: promql, time: String(timeS) })}`,
  );
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data: { result: PromResult[] };
  };
  if (body.status !== 'success') throw new Error(`PromQL ${promql}: ${body.error}`);
  return body.data.result;
}

/** Polls an async check every 250 ms until it returns a value (not undefined/false), or fails after timeoutMs. */
export async function poll<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
