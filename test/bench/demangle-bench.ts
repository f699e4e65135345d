// C++ frame names for `npm run bench` (cli/tracers/cxx-demangler.ts): what demangling costs the
// recorder per new frame name, libstdc++'s ~5,900 exported names fed as a second brings them (100
// new names a batch) to the run's one c++filt; baseline: a c++filt started for each batch (the
// plain way). And the per-second path once every name is known: a second of 250 stacks x 30
// frames, half of them C++, beside the same second with no C++ name (nothing to look up).

import { execFileSync } from 'node:child_process';
import type { Histogram, Snapshot } from '../../cli/model/snapshot.js';
import { CxxDemangler } from '../../cli/tracers/cxx-demangler.js';
import { demangleSnapshot } from '../../cli/tracers/demangled-frames.js';
import type { BenchRow } from './bench-row.js';
import { median } from './bench-stats.js';

const LIBSTDCXX = '/usr/lib/x86_64-linux-gnu/libstdc++.so.6';
const BATCH = 100;
const ROUNDS = 5;
const STACKS = 250;
const FRAMES = 30;
const SECONDS = 200;

function mangledNames(): string[] {
  const out = execFileSync(
    'nm',
    ['-Dp', '--defined-only', '--without-symbol-versions', LIBSTDCXX],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  return out
    .split('\n')
    .map((l) => l.slice(l.lastIndexOf(' ') + 1))
    .filter((n) => n.startsWith('_Z'));
}

const batches = (names: string[]) =>
  Array.from({ length: Math.ceil(names.length / BATCH) }, (_, i) =>
    names.slice(i * BATCH, (i + 1) * BATCH),
  );

/** µs per name through one long-lived c++filt, its start included. */
async function longLived(names: string[]): Promise<number> {
  const started = performance.now();
  const demangler = new CxxDemangler();
  for (const batch of batches(names)) await demangler.learn(batch);
  demangler.close();
  return ((performance.now() - started) * 1000) / names.length;
}

/** µs per name through a c++filt started for each batch. */
function perBatch(names: string[]): number {
  const started = performance.now();
  for (const batch of batches(names))
    execFileSync('c++filt', ['--no-verbose'], { input: batch.join('\n'), encoding: 'utf8' });
  return ((performance.now() - started) * 1000) / names.length;
}

function second(frames: (i: number) => string): Snapshot {
  const stacks: Histogram[] = Array.from({ length: STACKS }, (_, s) => ({
    aggregation: '@lat_us',
    key: ['app'],
    scheme: 'log2',
    buckets: [{ lo: 1024n, hi: 2047n, count: 1n }],
    frames: Array.from({ length: FRAMES }, (_, f) => frames(s * FRAMES + f)),
  }));
  return { t: 0, wallMs: 0, histograms: [], stacks, health: [], partial: false };
}

/** µs per second of SECONDS such seconds through demangleSnapshot. */
async function perSecond(s: Snapshot, demangler: CxxDemangler): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < SECONDS; i++) await demangleSnapshot(s, demangler);
  return ((performance.now() - started) * 1000) / SECONDS;
}

export async function benchDemangle(): Promise<BenchRow[]> {
  const names = mangledNames();
  const fresh: number[] = [];
  const spawned: number[] = [];
  const known: number[] = [];
  const plain: number[] = [];
  const demangler = new CxxDemangler();
  const cxx = second((i) => (i % 2 === 0 ? names[i % names.length]! : `plain_${i}`));
  const c = second((i) => `plain_${i}`);
  await demangler.learn(names);
  for (let r = 0; r < ROUNDS; r++) {
    fresh.push(await longLived(names));
    spawned.push(perBatch(names));
    known.push(await perSecond(cxx, demangler));
    plain.push(await perSecond(c, demangler));
  }
  demangler.close();
  return [
    {
      name: `a new C++ frame name (${names.length} of libstdc++'s, ${BATCH} a batch), one c++filt for the run`,
      value: median(fresh),
      unit: 'µs',
      baseline: median(spawned),
      baselineName: 'a c++filt per batch',
    },
    {
      name: `a second of ${STACKS} stacks x ${FRAMES} frames, half of them C++ names seen before`,
      value: median(known),
      unit: 'µs',
      baseline: median(plain),
      baselineName: 'no C++ name in it',
    },
  ];
}
