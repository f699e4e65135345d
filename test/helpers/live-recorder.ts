// Starts `heat-record --serve` and finds the URL it prints.

import type { ChildProcess } from 'node:child_process';
import { finished, startCli, waitFor, type CliResult } from './cli.js';

export interface LiveRecorder {
  child: ChildProcess;
  /** http://127.0.0.1:PORT/ */
  base: string;
  /** The full URL printed (with ?url= and the token, if any). */
  url: string;
  done: Promise<CliResult>;
}

export async function startLiveRecorder(args: string[]): Promise<LiveRecorder> {
  const child = startCli(args);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = finished(child);
  const url = await waitFor(
    () => /live at (\S+)/.exec(stderr)?.[1],
    60_000,
    `"live at" in heat-record's output (${stderr})`,
  );
  return { child, base: `${new URL(url).origin}/`, url, done };
}
