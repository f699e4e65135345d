// Starts heat-view (built, as users run it) with event-loop-probe.ts preloaded, so a test can
// measure the server's own event loop and memory while it drives it from outside.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { packageRoot } from '../../cli/package-root.js';
import { HEAT_VIEW, waitFor } from './cli.js';
import type { ProbeReport } from './event-loop-probe.js';

export interface ProbedServer {
  child: ChildProcess;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** Starts a measurement: the loop's longest stop and the memory peak from now on. */
  reset(): Promise<void>;
  report(): Promise<ProbeReport>;
  stop(): Promise<void>;
}

export async function startProbedHeatView(args: string[]): Promise<ProbedServer> {
  const probe = join(packageRoot(), 'test/helpers/event-loop-probe.ts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', probe, HEAT_VIEW, ...args, '--no-open'],
    { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const url = await waitFor(
    () => /serving \S+ at (\S+)/.exec(out)?.[1],
    120_000,
    `heat-view's URL (${out})`,
  );
  const ask = async <T>(message: string): Promise<T> => {
    child.send(message);
    return (await once(child, 'message'))[0] as T;
  };
  return {
    child,
    origin: new URL(url).origin,
    reset: async () => void (await ask<string>('reset')),
    report: () => ask<ProbeReport>('report'),
    stop: async () => {
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}
