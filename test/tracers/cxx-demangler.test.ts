// Demangling C++ frame names (cli/tracers/cxx-demangler.ts, demangled-frames.ts) with the real
// c++filt, on real mangled names: those of the C++ workload (test/fixtures/workloads/
// cxx-two-path.cpp) as nm lists them, and the ~5,900 that libstdc++ exports, each checked against
// nm -C's reading of the same symbol table.

import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Histogram, Snapshot } from '../../cli/model/snapshot.js';
import { CxxDemangler } from '../../cli/tracers/cxx-demangler.js';
import { demangleSnapshot, withDemangledFrames } from '../../cli/tracers/demangled-frames.js';
import { compileWorkload } from '../helpers/sleep-workload.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const LIBSTDCXX = '/usr/lib/x86_64-linux-gnu/libstdc++.so.6';

/** A file's symbol names in table order, as stored (`-C`: as nm demangles them). */
function symbolNames(path: string, flags: string[]): string[] {
  const out = execFileSync('nm', ['-p', '--without-symbol-versions', ...flags, path], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(l.indexOf(' ', 17) + 1)); // "000000000000119a T name" or "         U name"
}

/** A stack histogram of these frames (one bucket). */
const stack = (frames: string[]): Histogram => ({
  aggregation: '@lat_us',
  key: ['cxx-two-path'],
  scheme: 'log2',
  buckets: [{ lo: 4096n, hi: 8191n, count: 3n }],
  frames,
});

describe('demangling C++ frame names with c++filt', () => {
  const exe = compileWorkload('cxx-two-path.cpp', tmp('cxx-two-path'), [
    '-O1',
    '-fno-omit-frame-pointer',
  ]);
  const mangled = symbolNames(exe, ['--defined-only']).filter((n) => n.startsWith('_Z'));

  it("names the workload's methods as its source spells them", async () => {
    expect(mangled).toContain('_ZN2ns6Worker9slow_pathEi');
    const demangler = new CxxDemangler();
    await demangler.learn(mangled);
    demangler.close();
    expect(mangled.map((n) => demangler.nameOf(n)).sort()).toEqual([
      'ns::Worker::fast_path(int)',
      'ns::Worker::slow_path(int)',
      'ns::sleep_ns(long)',
    ]);
  });

  it("reads libstdc++'s exported names as nm -C does, thousands in one batch, in order", async () => {
    const names = symbolNames(LIBSTDCXX, ['-D', '--defined-only']);
    const read = symbolNames(LIBSTDCXX, ['-D', '-C', '--defined-only']);
    const pairs = names.map((n, i) => [n, read[i]!]).filter(([n]) => n!.startsWith('_Z'));
    expect(pairs.length).toBeGreaterThan(1000);
    const demangler = new CxxDemangler();
    await demangler.learn(pairs.map(([n]) => n!));
    demangler.close();
    expect(pairs.map(([n]) => demangler.nameOf(n!))).toEqual(pairs.map(([, r]) => r));
  });

  it('asks c++filt about each mangled name once, and about nothing else', async () => {
    const log = tmp('asked.txt');
    const filt = tmp('logging-c++filt');
    writeFileSync(filt, `#!/bin/sh\ntee -a ${log} | c++filt "$@"\n`);
    chmodSync(filt, 0o755);
    writeFileSync(log, '');
    const demangler = new CxxDemangler(filt);
    const plain = ['main', '0x7f3a12 (libc.so.6)', 'do_syscall_64_[k]', '[no stack]'];
    await demangler.learn([...mangled, ...plain, mangled[0]!]);
    await demangler.learn(mangled);
    demangler.close();
    expect(readFileSync(log, 'utf8').split('\n').filter(Boolean).sort()).toEqual(
      [...mangled].sort(),
    );
    for (const name of plain) expect(demangler.nameOf(name)).toBe(name);
  });

  it('keeps names mangled when c++filt is missing or stops answering, and says nothing', async () => {
    for (const command of [tmp('no-such-c++filt'), 'true']) {
      const demangler = new CxxDemangler(command);
      await demangler.learn(mangled);
      await demangler.learn(['_ZN2ns6Worker9slow_pathEi']); // gave up: no second attempt
      demangler.close();
      expect(mangled.map((n) => demangler.nameOf(n))).toEqual(mangled);
    }
  });

  it("demangles a second's stack frames and leaves the rest of it as it was", async () => {
    const demangler = new CxxDemangler();
    const kernelOnly = stack(['do_syscall_64_[k]', '__x64_sys_clock_nanosleep_[k]']);
    const second: Snapshot = {
      t: 7,
      wallMs: 1_000,
      histograms: [],
      stacks: [
        stack(['__libc_start_call_main', 'main', '_ZN2ns6Worker9slow_pathEi', 'clock_nanosleep']),
        kernelOnly,
      ],
      health: [],
      partial: false,
    };
    const out = await demangleSnapshot(second, demangler);
    demangler.close();
    expect(out.stacks![0]!.frames).toEqual([
      '__libc_start_call_main',
      'main',
      'ns::Worker::slow_path(int)',
      'clock_nanosleep',
    ]);
    expect(out.stacks![0]!.buckets).toEqual(second.stacks![0]!.buckets);
    expect(out.stacks![1]).toBe(kernelOnly);
    expect({ ...out, stacks: [] }).toEqual({ ...second, stacks: [] });
    const plain = { ...second, stacks: [kernelOnly] };
    expect(await demangleSnapshot(plain, demangler)).toBe(plain);
  });

  it('passes every second of a run through, in order, demangled', async () => {
    async function* run(): AsyncGenerator<Snapshot> {
      for (let t = 0; t < 3; t++)
        yield {
          t,
          wallMs: t * 1000,
          histograms: [],
          health: [],
          partial: false,
          stacks: [stack(['main', mangled[t % mangled.length]!])],
        };
    }
    const seen: Snapshot[] = [];
    for await (const s of withDemangledFrames(run())) seen.push(s);
    expect(seen.map((s) => s.t)).toEqual([0, 1, 2]);
    expect(
      seen.flatMap((s) => s.stacks!.flatMap((h) => h.frames!)).filter((f) => f.startsWith('_Z')),
    ).toEqual([]);
  });
});
