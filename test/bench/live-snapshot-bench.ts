// What a viewer opening a long recording still being written costs the server (in heat-record
// --serve, the recorder's own process): the longest its event loop stops. The viewer is another
// process (curl). Baseline, same run: a server that serializes the recording in memory and sends
// that, as every open did before snapshot files. (Memory is left out: resident-set growth within
// one process depends on which runs first, as freed memory is reused. Measured apart: the worker
// holds ~18 MB while it runs, whatever the size; the in-memory copy holds the whole recording.)

import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { packagePath } from '../../cli/package-root.js';
import { newRecordingMeta } from '../../cli/record/recording-meta.js';
import { snapshotRecording } from '../../cli/store/recording-image.js';
import { startViewerServer } from '../../cli/serve/viewer-server.js';
import { RecordingWriter } from '../../cli/store/recording-writer.js';
import { SyntheticGenerator } from '../../cli/tracers/synthetic.js';
import type { BenchRow } from './bench-row.js';

const HOURS = 3;
const KEYS = 40;

interface Cost {
  stallMs: number;
  bytes: number;
}

/** Runs work while watching the event loop's delay. */
async function measure(work: () => Promise<number>): Promise<Cost> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const bytes = await work();
  await new Promise((r) => setTimeout(r, 50)); // a stop right at the end shows in the next timer
  delay.disable();
  return { stallMs: delay.max / 1e6, bytes };
}

/** Downloads /recording.db in another process, as a viewer would; resolves the bytes received. */
function download(base: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      'curl',
      ['-sS', '-o', '/dev/null', '-w', '%{size_download}', new URL('recording.db', base).href],
      (err, out) => (err ? reject(err) : resolve(Number(out))),
    );
  });
}

/** The way it was: the recording serialized in memory on the event loop, then sent. */
async function serializingServer(path: string): Promise<{ base: string; server: Server }> {
  const server = createServer((_req, res) => {
    const bytes = snapshotRecording(path);
    res.writeHead(200, {
      'Content-Type': 'application/vnd.sqlite3',
      'Content-Length': bytes.length,
    });
    res.end(bytes);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

export async function benchLiveSnapshot(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'heat-snapshot-bench-'));
  const path = join(dir, 'live.db');
  const writer = RecordingWriter.create(
    path,
    newRecordingMeta(
      { preset: 'bench', unit: 'us', text: '# bench' },
      { name: 'synthetic', version: 'bench' },
      ['bench'],
    ),
  );
  const generator = new SyntheticGenerator({ keys: KEYS, seed: 6 });
  for (let t = 0; t < HOURS * 3600; t++)
    writer.append({
      t,
      wallMs: t * 1000,
      histograms: generator.second(t),
      health: [],
      partial: false,
    });
  const server = await startViewerServer({
    recordingPath: path,
    viewerRoot: packagePath('dist/viewer'),
  });
  const plain = await serializingServer(path);
  try {
    const inMemory = await measure(() => download(plain.base));
    const served = await measure(() => download(server.url.split('?')[0]!));
    const what = `opening a ${HOURS} h x ${KEYS}-key recording still being written (${(served.bytes / 1e6).toFixed(0)} MB)`;
    return [
      {
        name: `live: ${what}: server event loop stopped, longest`,
        value: served.stallMs,
        unit: 'ms',
        baseline: inMemory.stallMs,
        baselineName: 'serialized in memory',
      },
    ];
  } finally {
    await server.close();
    await new Promise((r) => plain.server.close(r));
    writer.finish({ end_reason: 'bench', status: 'complete' });
    rmSync(dir, { recursive: true, force: true });
  }
}
