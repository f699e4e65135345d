// Gates the tests that need a real, working dtrace(1) (Oracle Linux DTrace 2.0 here): they run
// when `dtrace -V` answers; outside CI they are skipped with the reason in their title (shown in
// vitest's output); in CI (process.env.CI set) a missing dtrace fails, as .ci/run installs it.

import { execFileSync } from 'node:child_process';
import { describe, it } from 'vitest';

/** Why dtrace cannot be used here, or null when `dtrace -V` answers. */
function dtraceMissing(): string | null {
  try {
    execFileSync('dtrace', ['-V'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10_000,
    });
    return null;
  } catch (e) {
    return `dtrace -V failed (${(e as Error).message.split('\n')[0]})`;
  }
}

const missing = dtraceMissing();

/**
 * `describe` for a block that needs real dtrace: skipped with the reason outside CI, failing in CI.
 * @param name the block's title
 */
export function describeWithDtrace(name: string, body: () => void): void {
  if (missing === null) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () =>
      it('has dtrace (CI installs it: .ci/run)', () => {
        throw new Error(`${missing}: CI must run the real-DTrace tests`);
      }),
    );
  } else {
    console.warn(`heat-tracer: skipping "${name}": ${missing} (in CI this fails)`);
    describe.skip(`${name} [SKIPPED: ${missing}; set CI=1 to make this a failure]`, body);
  }
}
