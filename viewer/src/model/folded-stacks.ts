// A selection's stacks as folded lines, the text FlameGraph (flamegraph.pl) and speedscope read:
// one line per distinct stack, frames root first joined by ";", a space, the count:
//   main;slow_path;fsync;do_fsync_[k] 412
// Both split a line at its last space, so frames may hold spaces ("0x7f3a12 (libc.so.6)"); a ";"
// or a line break inside a frame would split it, so those are replaced.

import type { StackCount } from './flame-tree.js';

/** What a frame without a name is written as (FlameGraph's own word for it). */
const UNKNOWN_FRAME = '[unknown]';

/** One folded line per distinct stack (identical stacks merged), in stack order; zero counts left out. */
export function foldedLines(stacks: Iterable<StackCount>): string[] {
  const merged = new Map<string, number>();
  for (const { frames, count } of stacks) {
    if (!(count > 0)) continue;
    const stack = frames.length ? frames.map(foldedFrame).join(';') : UNKNOWN_FRAME;
    merged.set(stack, (merged.get(stack) ?? 0) + count);
  }
  return [...merged.keys()].sort().map((stack) => `${stack} ${merged.get(stack)!}`);
}

/** The whole file: the lines, each ended by a line break. */
export function foldedText(stacks: Iterable<StackCount>): string {
  return foldedLines(stacks)
    .map((line) => `${line}\n`)
    .join('');
}

function foldedFrame(name: string): string {
  const clean = name
    .replace(/;/g, ':')
    .replace(/[\r\n]+/g, ' ')
    .trim();
  return clean || UNKNOWN_FRAME;
}
