// Addresses as users type them, IPv6 included ("::1", "[::1]", "[::1]:8080"), for heat-view
// --host and heat-record --serve; and tokens too short to be secret (under 12 characters) refused
// in one line.

import { describe, expect, it } from 'vitest';
import { parseListenAddress, parseListenHost } from '../../cli/commands/listen-address.js';
import { HEAT_VIEW, runCli } from '../helpers/cli.js';
import { startHeatView } from '../helpers/heat-view.js';
import { rawStatus, requestHead } from '../helpers/raw-http.js';
import { writeSyntheticRecording } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

describe('--serve addresses', () => {
  it.each([
    ['::1', '::1', 0],
    ['[::1]', '::1', 0],
    ['[::1]:8080', '::1', 8080],
    ['fe80::1', 'fe80::1', 0],
    ['127.0.0.1:8080', '127.0.0.1', 8080],
    ['localhost', 'localhost', 0],
    [':8080', '127.0.0.1', 8080],
    ['8080', '127.0.0.1', 8080],
    ['', '127.0.0.1', 0],
    ['0.0.0.0:0', '0.0.0.0', 0],
  ])('reads "%s" as %s port %i', (value, host, port) => {
    expect(parseListenAddress(value, '--serve')).toEqual({ host, port });
  });

  it.each(['::1:8080:', '[::1', '[::1]:x', 'a b:80', '127.0.0.1:70000', 'host:port'])(
    'refuses "%s" in one line',
    (value) => {
      expect(() => parseListenAddress(value, '--serve')).toThrow(
        new RegExp(
          `^--serve "${value.replace(/[[\]]/g, '\\$&')}" (is not an address|has no port in 0-65535)$`,
        ),
      );
    },
  );
});

describe('heat-view --host', () => {
  it.each([
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['127.0.0.1', '127.0.0.1'],
    ['localhost', 'localhost'],
  ])('reads "%s" as %s', (value, host) => {
    expect(parseListenHost(value, '--host')).toBe(host);
  });

  it('serves on ::1 at the URL it prints', async () => {
    const recording = tmp('v6.db');
    writeSyntheticRecording(recording, 3);
    const view = await startHeatView([recording, '--host', '::1']);
    expect(view.url).toMatch(/^http:\/\/\[::1\]:\d+\/\?/);
    expect(await rawStatus(view.origin, requestHead(view.origin, '/recording.db'))).toBe(200);
    view.child.kill('SIGTERM');
    expect((await view.done).code).toBe(0);
  });
});

describe('tokens', () => {
  it.each([[['--host', '0.0.0.0', '--token', 'short']], [['--token', '12345678901']]])(
    'heat-view %j refuses a token under 12 characters, saying the minimum',
    async (args) => {
      const recording = tmp('tok.db');
      writeSyntheticRecording(recording, 1);
      const result = await runCli([recording, ...args, '--no-open'], { bin: HEAT_VIEW });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^heat-view: --token is too short to be secret \(\d+ characters; at least 12\)/,
      );
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  it('heat-record --serve refuses one before recording anything', async () => {
    const result = await runCli([
      '-o',
      tmp('never.db'),
      '--tracer',
      'synthetic',
      '--serve',
      '0.0.0.0:0',
      '--token',
      'hunter2',
      '-d',
      '2s',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^heat-record: --token is too short to be secret \(7 characters; at least 12\)/,
    );
  });
});
