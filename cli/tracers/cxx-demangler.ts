// C++ frame names as people know them, `_ZN2ns6Worker9slow_pathEi` -> `ns::Worker::slow_path(int)`,
// by binutils' c++filt (beside every C compiler): one process for the whole run, fed a name a
// line; it answers each line as it reads it. Each name is asked once, then cached. Without
// c++filt, or if it stops answering, names stay mangled: a recording never fails over a name.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';

/** Itanium C++ ABI names (g++, clang): the only ones c++filt is asked about. */
export function isMangled(name: string): boolean {
  return name.startsWith('_Z');
}

/** Bounds the cache of a long machine-wide run: beyond this, it starts again. */
const MAX_CACHED = 65_536;
/** c++filt answers a line in microseconds; past this it is taken as hung, and names stay mangled. */
const ANSWER_TIMEOUT_MS = 5_000;

export class CxxDemangler {
  private readonly cache = new Map<string, string>();
  private filt: FiltProcess | null = null;
  private failed = false;

  /** @param command the c++filt executable @default "c++filt" from PATH */
  constructor(private readonly command = 'c++filt') {}

  /** The name as people know it: demangled once learned, else as given. */
  nameOf(name: string): string {
    return this.cache.get(name) ?? name;
  }

  /** Asks c++filt about the mangled names not asked before; settles once they are cached. */
  async learn(names: Iterable<string>): Promise<void> {
    const unknown = new Set<string>();
    for (const n of names) if (isMangled(n) && !this.cache.has(n)) unknown.add(n);
    if (unknown.size === 0 || this.failed) return;
    const fresh = [...unknown];
    const answers = await this.process().ask(fresh);
    if (!answers) {
      this.failed = true;
      return;
    }
    if (this.cache.size + fresh.length > MAX_CACHED) this.cache.clear();
    fresh.forEach((name, i) => this.cache.set(name, answers[i]!));
  }

  /** Ends c++filt (it exits at the end of its input). */
  close(): void {
    this.filt?.close();
    this.filt = null;
  }

  private process(): FiltProcess {
    this.filt ??= new FiltProcess(this.command);
    return this.filt;
  }
}

/** One c++filt child: names in, one answer line per name out, in order. */
class FiltProcess {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  /** Who waits for each line still to come, oldest first. */
  private readonly waiting: ((line: string | null) => void)[] = [];
  private dead = false;

  constructor(command: string) {
    // --no-verbose: `std::string`, not `std::basic_string<char, ...>`, as nm -C, gdb and bpftrace's
    // own demangling (__cxa_demangle) read it.
    this.child = spawn(command, ['--no-verbose'], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child.on('error', () => this.fail()); // not installed: ENOENT
    this.child.on('exit', () => this.fail());
    this.child.stdin.on('error', () => this.fail()); // EPIPE once it is gone
    createInterface({ input: this.child.stdout }).on('line', (l) => this.waiting.shift()?.(l));
    // Never what keeps heat-record alive: only a pending answer holds the event loop (see ask).
    this.child.unref();
    (this.child.stdout as Socket).unref();
    (this.child.stdin as Socket).unref();
  }

  /** The answers in order, or null when c++filt cannot answer (missing, exited, hung). */
  async ask(names: readonly string[]): Promise<string[] | null> {
    if (this.dead) return null;
    const answers = names.map(() => new Promise<string | null>((r) => this.waiting.push(r)));
    (this.child.stdout as Socket).ref();
    const timer = setTimeout(() => this.fail(), ANSWER_TIMEOUT_MS);
    this.child.stdin.write(`${names.join('\n')}\n`);
    const lines = await Promise.all(answers);
    clearTimeout(timer);
    if (this.waiting.length === 0) (this.child.stdout as Socket).unref();
    return lines.some((l) => l === null) ? null : (lines as string[]);
  }

  close(): void {
    this.child.stdin.end();
  }

  /** Gives up on c++filt: every pending answer is null, and it is ended if it still runs. */
  private fail(): void {
    if (this.dead) return;
    this.dead = true;
    for (const answer of this.waiting.splice(0)) answer(null);
    if (this.child.exitCode === null && this.child.pid !== undefined) this.child.kill('SIGKILL');
  }
}
