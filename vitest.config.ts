import { defineConfig } from 'vitest/config';

// Three tiers (vitest projects), run one at a time with --project (package.json scripts):
// - unit: no root, no browser, no real tracer; seconds, as any user (npm test).
// - system: root, real tracers (bpftrace, dtrace(1), libdtrace), tmpfs mounts, a real Prometheus,
//   recorders running for real seconds (npm run test:system).
// - browser: the built viewer in Debian's Chromium (npm run test:browser).
// A file belongs to the first tier that lists it; every other test file is unit.

/** Browser tests: they launch /usr/bin/chromium. */
const BROWSER = ['test/viewer/browser/**/*.test.ts', 'test/serve/host-guard.test.ts'];

/**
 * System tests: they need root (setpriv, tmpfs mounts), a real tracer (bpftrace, dtrace(1),
 * libdtrace) or Prometheus, or run recorders, servers and terminals for minutes of real time.
 */
const SYSTEM = [
  'test/commands/import.test.ts', // a full disk: mounts a tmpfs
  'test/commands/malformed-recordings.test.ts', // heat-record on 90 damaged files, one process each
  'test/commands/progress-on-terminal.test.ts', // real-time runs on a pseudo-terminal
  'test/commands/random-mutants.test.ts',
  'test/commands/record.test.ts', // bpftrace compile errors, the non-root refusal (setpriv)
  'test/import/import-fuzz.test.ts',
  'test/record/recorder-compaction-kill.test.ts',
  'test/report/progress-line.test.ts',
  'test/serve/dropped-clients.test.ts',
  'test/serve/live-backfill.test.ts',
  'test/serve/live-stream.test.ts',
  'test/commands/mark.test.ts', // marks added while a recorder runs for real seconds
  'test/serve/heat-view-tail.test.ts', // heat-view following a recorder for real seconds
  'test/schemas/live-message-schema.test.ts', // a live recorder streaming for real seconds
  'test/serve/recording-bytes-load.test.ts',
  'test/tracers/bpftrace.test.ts',
  'test/tracers/bpftrace-stacks.test.ts',
  'test/record/stacks-budget.test.ts',
  'test/viewer/load/compare-stacks-real.test.ts', // two real bpftrace recordings of two-path
  'test/tracers/dtrace-real*.test.ts',
  'test/tracers/dtrace-stacks.test.ts',
  'test/tracers/cxx-stacks.test.ts', // C++ frames demangled, real bpftrace and dtrace
  'test/tracers/libdtrace-node-libdtrace.test.ts',
  'test/tracers/libdtrace-recorder.test.ts',
  'test/presets/block-io-latency.test.ts',
  'test/presets/runqueue-latency.test.ts',
  'test/presets/syscall-latency.test.ts', // many processes exit while a tracer records
  'test/record/recorder-environment.test.ts',
  'test/record/recorder-full-disk.test.ts',
  'test/record/recorder-kill.test.ts',
  'test/record/recorder-signals.test.ts',
  'test/serve/live-snapshot.test.ts',
  'test/serve/live-stacks.test.ts',
  'test/serve/live-load.test.ts',
  'test/serve/prometheus-server.test.ts',
  'test/store/compact-recording.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    expect: { requireAssertions: true },
    // Real tracers and Chromium are slow on a busy 2-core machine; tests wait on events, and these
    // bounds only stop a hung test.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...SYSTEM, ...BROWSER] },
      },
      // One file at a time: the real tracers trace the whole machine, so two such tests side by side
      // trace each other's workloads (a syscall tracer beside the block I/O test made the kernel skip
      // ~60 % of its block programs: BPF programs do not nest on a CPU).
      { extends: true, test: { name: 'system', include: SYSTEM, fileParallelism: false } },
      { extends: true, test: { name: 'browser', include: BROWSER } },
    ],
  },
});
