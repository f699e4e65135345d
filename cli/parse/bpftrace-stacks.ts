// Stack keys in bpftrace 0.17 JSON output: a map keyed by `[..., ustack(perf), kstack(perf)]` prints
// each stack as a block of lines, leaf first, inside the ","-joined key (captured in
// test/fixtures/bpftrace-0.17/16-stacks-*):
//   "twopath,\n\t7f88..503 clock_nanosleep+35 (/usr/lib/.../libc.so.6)\n\t55ee..1b3 main+42 (/tmp/twopath)\n,\n\tffffffff8142513c syscall_exit_work+188\n"
// An empty stack (a kernel thread's ustack) prints as nothing: "swapper/1,,\n\t...". Frames of a
// process that exited before the print stay addresses: "\t7fdd..503 0x7fdd..503 ([unknown])".

/** Suffix of the recorder's stack companion of a histogram map: @lat_us -> @lat_us__heat_stk. */
export const STACK_MAP_SUFFIX = '__heat_stk';

/**
 * Distinct stack keys a second may add to the recorder's stack maps (bpftrace-stack-maps.ts).
 * bpftrace 0.17 prints a machine-wide stack key (tens of frames, ~1.5 KB of JSON) in ~0.5 ms:
 * this bounds each drain, and the two at exit, to about a tenth of a second whatever the machine
 * does (at 1000, a Ctrl-C of the default preset with --stacks took 1.2-3.2 s to finish the file
 * at load 10; at 250, 0.26-0.53 s). The events past it carry no stack, and the recorder counts
 * them (a health row). --stacks-above 1ms on this machine took 90-100 keys a second.
 */
export const STACK_KEYS_PER_SECOND = 250;

/** Which stack a key element holds. */
export type StackKind = 'user' | 'kernel';

/**
 * Names a user frame bpftrace printed as an address (run with BPFTRACE_NO_USER_SYMBOLS: the
 * recorder names frames itself, cli/tracers/process-frames.ts); null leaves it an address.
 * The companion then holds the pid just before its stacks: `@lat__heat_stk[..., pid, ustack(perf)]`.
 */
export type UserFrameNamer = (pid: number, address: string) => string | null;

/** Frame given to an event whose stacks were all empty, so it still has a row (and a flame). */
export const NO_STACK_FRAME = '[no stack]';

/**
 * Splits a printed key whose last elements are stacks of the given kinds (in key order).
 * Returns the rest of the key (still ","-joined) and the frames, outermost (root) first, user
 * frames then kernel frames; null when the text does not hold that many stacks.
 */
export function splitStackKey(
  raw: string,
  kinds: readonly StackKind[],
  nameUser?: (address: string) => string | null,
): { rest: string; frames: string[] } | null {
  let text = raw;
  const stacks: string[][] = [];
  for (let i = kinds.length - 1; i >= 0; i--) {
    const popped = popStack(text, kinds[i]!, kinds[i] === 'user' ? nameUser : undefined);
    if (!popped) return null;
    stacks[i] = popped.frames;
    text = popped.rest;
  }
  const frames = kinds.flatMap((k, i) => (k === 'user' ? stacks[i]! : []));
  frames.push(...kinds.flatMap((k, i) => (k === 'kernel' ? stacks[i]! : [])));
  return { rest: text, frames: frames.length > 0 ? frames : [NO_STACK_FRAME] };
}

/**
 * Takes the last stack element off a key: its frames and the text before its ",". bpftrace prints
 * the leaf first, so reading the lines from the end gives the frames root first.
 */
function popStack(
  text: string,
  kind: StackKind,
  nameUser?: (address: string) => string | null,
): { rest: string; frames: string[] } | null {
  const frames: string[] = [];
  let end = text.length;
  if (text.endsWith('\n')) {
    end--;
    for (;;) {
      const start = text.lastIndexOf('\n', end - 1);
      const line = text.slice(start + 1, end);
      if (!FRAME_LINE.test(line)) break;
      frames.push((nameUser && unnamedAddress(line, nameUser)) || frameName(line, kind));
      end = start;
      if (start < 0) return null;
    }
    // `end` is the "\n" that opens the stack block.
  }
  if (text[end - 1] !== ',') return null;
  return { rest: text.slice(0, end - 1), frames }; // read from the end: root first already
}

/** A frame line: a tab (ustack(perf)) or four spaces (plain ustack) and something. */
const FRAME_LINE = /^(?:\t| {4})\S/;

/** "7f88..503 clock_nanosleep+35 (/usr/lib/libc.so.6)" (perf) or "clock_nanosleep+35". */
const PERF_FRAME = /^([0-9a-f]+) (.*?)(?: \(([^()]*)\))?$/;

/**
 * One printed frame as stored: the symbol without its offset ("main+42" -> "main", so the calls a
 * function makes from two places merge); an unnamed one as its address and module
 * ("0x7fdd12 (libc.so.6)"); a kernel frame suffixed "_[k]" (FlameGraph's convention).
 */
export function frameName(line: string, kind: StackKind): string {
  const text = line.trim();
  const perf = PERF_FRAME.exec(text);
  const symbol = perf ? perf[2]! : text;
  const module = perf?.[3] === undefined ? null : baseName(perf[3]);
  const name = /^0x[0-9a-f]+$/.test(symbol)
    ? `${symbol}${module !== null && kind === 'user' ? ` (${module})` : ''}`
    : symbol.replace(/\+\d+$/, '');
  return kind === 'kernel' ? `${name}_[k]` : name;
}

/** A frame printed as its bare address ("\t7fdd12 0x7fdd12 ([unknown])"), named by nameUser. */
function unnamedAddress(line: string, nameUser: (address: string) => string | null): string | null {
  const perf = PERF_FRAME.exec(line.trim());
  return perf && perf[2] === `0x${perf[1]}` ? nameUser(perf[1]!) : null;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
