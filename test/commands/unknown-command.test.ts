// A mistyped command gets its name back with the nearest command, instead of the default
// command's "too many arguments for 'record'".

import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('heat-record with an unknown command word', () => {
  it.each([
    [
      ['inf', 'run.db'],
      'heat-record: unknown command "inf" (did you mean: heat-record info run.db)',
    ],
    [
      ['exprot', 'x.db', '--format', 'csv'],
      'heat-record: unknown command "exprot" (did you mean: heat-record export x.db --format csv)',
    ],
    [['presetz'], 'heat-record: unknown command "presetz" (did you mean: heat-record presets)'],
  ])('%j suggests the command meant, in one line', async (args, line) => {
    const r = await runCli(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${line}\n`);
  });

  it('lists the commands when nothing is close', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^heat-record: unknown command "frobnicate" \(commands: record, presets, info, export, import, clip, merge.*\)\n$/,
    );
  });

  it('leaves real commands and options alone', async () => {
    const r = await runCli(['presets']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('syscall-latency');
  });
});
