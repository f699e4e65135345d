import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { finished, HEAT_RECORD, HEAT_VIEW } from '../helpers/cli.js';

// npx and a global install link these files and exec them: they must run as programs themselves
// (a build that left them without the executable bit made `npx heat-record` say "Permission denied").
describe('the built bins', () => {
  it('run as programs, straight from dist', async () => {
    const record = await finished(
      spawn(HEAT_RECORD, ['presets'], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    expect(record.stderr).toBe('');
    expect(record.code).toBe(0);
    expect(record.stdout).toMatch(/^syscall-latency\b/m);
    const view = await finished(
      spawn(HEAT_VIEW, ['--help'], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    expect(view.code).toBe(0);
    expect(view.stdout).toMatch(/^Usage: heat-view/m);
  });
});
