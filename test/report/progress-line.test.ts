// export --html of a long recording through a pseudo-terminal (script(1) from util-linux) shows a
// progress line rewritten in place and cleared; piped, or with --quiet, it prints none.

import { describe, expect, it } from 'vitest';
import { progressLine, timeLeft } from '../../cli/report/progress-line.js';
import { runCli, runOnTerminal } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const PROGRESS = /export --html \S+ {2}(\d+) % {2}\d+\/\d+ MB/g;

describe('progress line', () => {
  it(
    'shows done/total and time left on a terminal, none when piped or --quiet',
    { timeout: 240_000 },
    async () => {
      const day = tmp('day.db');
      expect(
        (
          await runCli([
            '-o',
            day,
            '--tracer',
            'synthetic',
            '--fast',
            '--duration',
            '12h',
            '--quiet',
          ])
        ).code,
      ).toBe(0);
      const started = Date.now();
      const shown = runOnTerminal(['export', day, '--html', tmp('day.html')]);
      const lines = [...shown.matchAll(PROGRESS)];
      console.log(
        `export --html of 12 h: ${lines.length} progress lines in ${Date.now() - started} ms`,
      );
      expect(lines.length).toBeGreaterThan(0);
      expect(shown).toMatch(/~\d+ s left/);
      expect(shown).toMatch(/\r\x1b\[Kwrote /); // cleared before the closing line
      const piped = await runCli(['export', day, '--html', tmp('piped.html')]);
      expect(piped.stderr + piped.stdout).not.toMatch(/ % /);
      expect(runOnTerminal(['export', day, '--html', tmp('quiet.html'), '--quiet'])).not.toMatch(
        PROGRESS,
      );
    },
  );

  it('waits half a second, then draws at most 10 lines a second', () => {
    let now = 0;
    const written: string[] = [];
    const stream = {
      isTTY: true,
      columns: 80,
      write: (s: string) => written.push(s),
    } as unknown as NodeJS.WriteStream;
    const line = progressLine('job', 100, { quiet: false, stream, now: () => now });
    for (now = 0; now <= 1500; now += 10) line.update(Math.floor(now / 15));
    line.end();
    expect(written.length).toBe(12); // 500, 600 … 1500 ms, and the clearing
    expect(written[0]).toBe('\r\x1b[Kjob  33 %  33/100  ~2 s left');
    expect(written.at(-1)).toBe('\r\x1b[K');
    expect(timeLeft(10_000, 10, 100)).toBe('~90 s left');
    expect(timeLeft(60_000, 10, 100)).toBe('~9 min left');
  });
});
