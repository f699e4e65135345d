import { defineConfig } from 'vitest/config';

// Tests mirror cli/ and viewer/; browser and bpftrace tests are real (Chromium, root) and slow,
// so timeouts are generous and files run two at a time on the 2-core CI machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    expect: { requireAssertions: true },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    pool: 'forks',
  },
});
