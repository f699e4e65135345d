// Frame names of a stack as dtrace(1) prints it (dt_print_stack, dt_print_ustack in
// dt_consume.c), stored as bpftrace's are (bpftrace-stacks.ts): one line per frame, leaf first,
//   `libc.so.6`clock_nanosleep+0x23`  module`symbol+offset -> "clock_nanosleep"
//   `libc.so.6`0x7f85d25b824a`        a module, no symbol  -> "0x7f85d25b824a (libc.so.6)"
//   `0x5623611591b1`                  neither (the process had exited by the print)
//   `vmlinux`do_syscall_64+0x243`     kernel                -> "do_syscall_64_[k]"

import type { StackKind } from './bpftrace-stacks.js';

const FRAME = /^(?:([^`]*)`)?(.*?)(?:\+0x[0-9a-f]+)?$/;

/**
 * Kernel frames of the probe's own machinery at a raw tracepoint's leaf, which bpftrace's kstack
 * leaves out: the BPF program's unnamed frames, bpf_trace_run2, __bpf_trace_sys_exit. They go, so
 * both tracers' stacks start at the tracepoint (__traceiter_sys_exit, where the unwinder sees it).
 */
const BPF_FRAME = /^0x[0-9a-f]+$/;
const TRACEPOINT_FRAME = /^(?:bpf_trace_run\d+|__bpf_trace_\w+)$/;

/** The printed frame lines (leaf first) as stored frame names, root first. */
export function dtraceFrameNames(lines: readonly string[], kind: StackKind): string[] {
  const names = lines.map((l) => frameSymbol(l.trim(), kind));
  if (kind === 'user') return names.reverse();
  return names
    .slice(tracingFrames(names))
    .reverse()
    .map((n) => `${n}_[k]`);
}

/** How many leaf frames are the tracepoint's machinery (none unless a named one is among them). */
function tracingFrames(names: readonly string[]): number {
  let end = 0;
  for (let i = 0; i < names.length - 1; i++) {
    if (TRACEPOINT_FRAME.test(names[i]!)) end = i + 1;
    else if (!BPF_FRAME.test(names[i]!)) break;
  }
  return end;
}

/** "module`symbol+0x1f" -> "symbol"; a bare address keeps its module (user frames) to say where it is. */
function frameSymbol(text: string, kind: StackKind): string {
  const m = FRAME.exec(text)!;
  const module = m[1];
  const symbol = m[2]!;
  if (/^0x[0-9a-f]+$/.test(symbol) && module !== undefined && kind === 'user')
    return `${symbol} (${module})`;
  return symbol;
}
