// Starts the built heat-view as a user would (--no-open) and finds the URL it prints.

import type { ChildProcess } from 'node:child_process';
import { finished, HEAT_VIEW, startCli, waitFor, type CliResult } from './cli.js';

export interface HeatView {
  child: ChildProcess;
  /** The URL printed, with ?url=, &live=1 and the token when there is one. */
  url: string;
  /** http://HOST:PORT */
  origin: string;
  done: Promise<CliResult>;
}

/** heat-view with args (the recording among them); resolves once it serves. */
export async function startHeatView(args: string[]): Promise<HeatView> {
  const child = startCli([...args, '--no-open'], { bin: HEAT_VIEW });
  const done = finished(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const url = await waitFor(
    () => /serving \S+ at (\S+)/.exec(out)?.[1],
    20_000,
    `heat-view's URL (${out})`,
  );
  return { child, url, origin: new URL(url).origin, done };
}
