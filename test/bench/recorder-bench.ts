// Recorder figures: ingest rate against a raw better-sqlite3 loop, bytes per dense second, and
// the recorder's own CPU beside bpftrace's while tracing real syscalls under load.

import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Histogram, Snapshot } from '../../cli/model/snapshot.js';
import { packagePath } from '../../cli/package-root.js';
import { newRecordingMeta } from '../../cli/record/recording-meta.js';
import { RecordingWriter } from '../../cli/store/recording-writer.js';
import { recordingSchema } from '../../cli/store/sqlite.js';
import { SyntheticGenerator } from '../../cli/tracers/synthetic.js';
import type { BenchRow } from './bench-row.js';
import { median } from './bench-stats.js';

const dir = mkdtempSync(join(tmpdir(), 'heat-bench-'));
const meta = newRecordingMeta(
  { preset: 'bench', unit: 'us', text: '# bench' },
  { name: 'synthetic', version: 'bench' },
  ['bench'],
);

function syntheticSeconds(seconds: number, keys: number): Snapshot[] {
  const gen = new SyntheticGenerator({ keys, seed: 3 });
  return Array.from({ length: seconds }, (_, t) => ({
    t,
    wallMs: t * 1000,
    histograms: gen.second(t),
    health: [],
    partial: false,
  }));
}

function recordWithWriter(path: string, snaps: Snapshot[]): number {
  const started = performance.now();
  const writer = RecordingWriter.create(path, meta, { force: true });
  for (const s of snaps) writer.append(s);
  writer.finish({ end_reason: 'duration' });
  return (performance.now() - started) / 1000;
}

/** The same hist and second rows, pre-serialised, inserted by a bare loop: one transaction per second. */
function recordRaw(path: string, snaps: Snapshot[]): number {
  const rows = snaps.map((s) => ({
    t: s.t,
    wallMs: s.wallMs,
    hists: s.histograms.map((h, i) => [i + 1, rawJson(h)] as const),
  }));
  const started = performance.now();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(recordingSchema());
  const series = db.prepare(
    "INSERT INTO series (id, aggregation, key, key_json, scheme) VALUES (?, '@lat_us', ?, ?, 'log2')",
  );
  for (let i = 1; i <= snaps[0]!.histograms.length; i++)
    series.run(i, String(i), JSON.stringify([String(i)]));
  const hist = db.prepare('INSERT INTO hist (t, series_id, counts) VALUES (?, ?, ?)');
  const second = db.prepare('INSERT INTO second (t, wall_ms, events) VALUES (?, ?, 0)');
  const commit = db.transaction((r: (typeof rows)[number]) => {
    for (const [series, json] of r.hists) hist.run(r.t, series, json);
    second.run(r.t, r.wallMs);
  });
  for (const r of rows) commit(r);
  db.close();
  return (performance.now() - started) / 1000;
}

function rawJson(h: Histogram): string {
  return `{${h.buckets.map((b, i) => `"${i + 1}":${b.count}`).join(',')}}`;
}

/** Rounds of each, alternated, so disk and machine noise land on both sides alike. */
const INGEST_ROUNDS = 3;

export function benchIngest(): BenchRow[] {
  const snaps = syntheticSeconds(3600, 40);
  const ours: number[] = [];
  const raw: number[] = [];
  for (let round = 0; round < INGEST_ROUNDS; round++) {
    ours.push(recordWithWriter(join(dir, `ingest-${round}.db`), snaps));
    raw.push(recordRaw(join(dir, `raw-${round}.db`), snaps));
  }
  const rate = snaps.length / median(ours);
  const rawRate = snaps.length / median(raw);
  return [
    {
      name: `ingest, 1 h synthetic, 40 keys (median of ${INGEST_ROUNDS})`,
      value: rate,
      unit: 'recorded s / wall s',
      baseline: rawRate,
      baselineName: 'raw insert loop',
      target: 'ratio >= 0.5',
      met: rate / rawRate >= 0.5,
    },
  ];
}

/** 40 keys, each with exactly 6 adjacent non-zero log2 buckets of realistic counts. */
function denseSeconds(seconds: number): Snapshot[] {
  let seed = 9;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: seconds }, (_, t) => ({
    t,
    wallMs: t * 1000,
    health: [],
    partial: false,
    histograms: Array.from({ length: 40 }, (_, k): Histogram => ({
      aggregation: '@lat_us',
      key: [`key${k}`],
      scheme: 'log2',
      buckets: Array.from({ length: 6 }, (_, i) => {
        const lo = 2 ** (2 + (k % 8) + i);
        return {
          lo: BigInt(lo),
          hi: BigInt(2 * lo - 1),
          count: BigInt(1 + Math.floor(random() * 5000)),
        };
      }),
    })),
  }));
}

export function benchBytesPerSecond(): BenchRow[] {
  const seconds = 3600;
  const path = join(dir, 'dense.db');
  recordWithWriter(path, denseSeconds(seconds));
  const total = statSync(path).size / seconds;
  const db = new Database(path, { readonly: true });
  const tableBytes = (name: string) =>
    (db.prepare('SELECT sum(pgsize) AS b FROM dbstat WHERE name = ?').get(name) as { b: number })
      .b / seconds;
  const hist = tableBytes('hist');
  const rollup = tableBytes('rollup');
  db.close();
  return [
    {
      name: 'bytes per dense second (40 keys x 6 buckets), whole file',
      value: total,
      unit: 'B',
      target: '<= 3584 B',
      met: total <= 3584,
    },
    { name: '  of which counts (hist table)', value: hist, unit: 'B' },
    { name: '  of which rollups (1 s .. 1 h)', value: rollup, unit: 'B' },
  ];
}

/** Seconds left out at the start (node start-up, bpftrace attach, the JIT tiering up), then measured. */
const WARM_UP_S = 30;
const WINDOW_S = 30;

/** CPU time of every thread of a process, in ms, from the scheduler's own ns counters. */
function cpuMs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`))
    ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
  return ns / 1e6;
}

/** Recorder vs bpftrace CPU over 30 steady seconds while dd makes ~10^5 syscalls a second. Needs root and bpftrace. */
export async function benchRecorderCpu(): Promise<BenchRow[]> {
  if (process.geteuid?.() !== 0)
    return [{ name: 'recorder CPU (skipped: needs root)', value: NaN, unit: '' }];
  const path = join(dir, 'cpu.db');
  const recorder = spawn(
    process.execPath,
    [
      packagePath('dist/cli/bin/heat-record.js'),
      '-o',
      path,
      '-d',
      `${WARM_UP_S + WINDOW_S + 5}s`,
      '--quiet',
      '--force',
    ],
    { stdio: 'ignore' },
  );
  let recorderPct: number;
  let bpftracePct: number;
  const load = spawn(
    'sh',
    ['-c', 'while :; do dd if=/dev/zero of=/dev/null bs=64 count=200000 2>/dev/null; done'],
    { stdio: 'ignore', detached: true },
  );
  try {
    await sleep(WARM_UP_S * 1000); // a recorder runs for hours: measure its steady state
    const bpftracePid = Number(
      execFileSync('pgrep', ['-P', String(recorder.pid), 'bpftrace'], { encoding: 'utf8' })
        .trim()
        .split('\n')[0],
    );
    const r0 = cpuMs(recorder.pid!);
    const b0 = cpuMs(bpftracePid);
    await sleep(WINDOW_S * 1000);
    recorderPct = ((cpuMs(recorder.pid!) - r0) / 1000 / WINDOW_S) * 100;
    bpftracePct = ((cpuMs(bpftracePid) - b0) / 1000 / WINDOW_S) * 100;
  } finally {
    process.kill(-load.pid!, 'SIGKILL'); // never leave the load running, whatever happened
  }
  await new Promise((r) => recorder.on('close', r));
  const events = (
    new Database(path, { readonly: true })
      .prepare('SELECT avg(events) AS e FROM second WHERE partial = 0')
      .get() as { e: number }
  ).e;
  return [
    {
      name: `recorder CPU, syscall-latency under load (${Math.round(events).toLocaleString('en-US')} events/s)`,
      value: recorderPct,
      unit: '% of a core',
      baseline: bpftracePct,
      baselineName: 'bpftrace itself',
      target: '<= 0.5 %',
      met: recorderPct <= 0.5,
    },
  ];
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function cleanUp(): void {
  rmSync(dir, { recursive: true, force: true });
}
