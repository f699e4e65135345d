// Runs the built heat-record / heat-view as a user would: a child process, its exit code and output.

import Database from 'better-sqlite3';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../cli/package-root.js';

export const HEAT_RECORD = join(packageRoot(), 'dist/cli/bin/heat-record.js');
export const HEAT_VIEW = join(packageRoot(), 'dist/cli/bin/heat-view.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Another bin, e.g. HEAT_VIEW. @default HEAT_RECORD */
  bin?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this unprivileged user (setpriv, needs root), e.g. "nobody". */
  asUser?: 'nobody';
}

/** Starts heat-record (or another bin) with args; the caller controls its life. */
export function startCli(args: string[], options: CliOptions = {}): ChildProcess {
  const command = [process.execPath, options.bin ?? HEAT_RECORD, ...args];
  const argv = options.asUser
    ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...command]
    : command;
  return spawn(argv[0]!, argv.slice(1), {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a started process's output until it exits. */
export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

/** Runs heat-record with args to completion. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return finished(startCli(args, options));
}

/** Runs heat-record with args on a pseudo-terminal (script(1) from util-linux); its output as the terminal got it. */
export function runOnTerminal(args: string[]): string {
  const command = [process.execPath, HEAT_RECORD, ...args].map((a) => `'${a}'`).join(' ');
  return execFileSync('script', ['-qfec', command, '/dev/null'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
}

/** Polls until check() returns a value (not undefined/false), or fails after timeoutMs. */
export async function waitFor<T>(
  check: () => T | undefined | false,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = check();
      if (value !== undefined && value !== false) return value;
    } catch {
      // not ready yet (e.g. the file is still being created)
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves once the recording at path has committed its first second: the tracer is attached. */
export function firstSecondRecorded(path: string): Promise<true> {
  return waitFor(() => committedSeconds(path) > 0, 60_000, `the first recorded second of ${path}`);
}

/** How many seconds the recording at path holds (with its WAL, as a reader sees it). */
export function committedSeconds(path: string): number {
  const probe = new Database(path, { readonly: true });
  try {
    return (probe.prepare('SELECT count(*) AS n FROM second').get() as { n: number }).n;
  } finally {
    probe.close();
  }
}
