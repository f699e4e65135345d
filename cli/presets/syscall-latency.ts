// The classic (and the 2011 demo's measurement): how long each syscall takes, by syscall name.
// A latency is booked in the second the syscall returns; syscalls already in flight at start are skipped.

import type { Preset } from './preset.js';
import { syscallName } from './syscall-names.js';

export const syscallLatency: Preset = {
  name: 'syscall-latency',
  description: 'latency of every system call, by syscall name (µs)',
  unit: 'us',
  // raw_syscalls: 2 probes that attach in under a second, where syscalls:sys_enter_* takes ~30-60 s.
  // A thread's last syscall (exit, exit_group) never returns, so its start is dropped when the
  // thread exits: left, every exited thread kept an entry, and once the map was full (65,536
  // threads: an afternoon of builds) no new thread's syscalls were recorded, silently.
  bpftrace: `tracepoint:raw_syscalls:sys_enter { @start[tid] = nsecs; }
tracepoint:raw_syscalls:sys_exit /@start[tid]/ {
  @lat_us[args->id] = hist((nsecs - @start[tid]) / 1000);
  delete(@start[tid]);
}
tracepoint:sched:sched_process_exit { delete(@start[tid]); }
`,
  dtrace: `syscall:::entry { self->ts = timestamp; }
syscall:::return /self->ts/ {
  @lat_us[probefunc] = quantize((timestamp - self->ts) / 1000);
  self->ts = 0;
}
`,
  // Linux DTrace: its syscall provider has 720 probes that take ~5 s to attach and 55-60 s to
  // detach; the two raw_syscalls tracepoints take well under a second each way. sys_exit's raw
  // arguments carry no syscall number, so entry keeps it (arg1) beside the start time.
  // The two thread-locals are not zeroed at each syscall's exit but overwritten by the next entry,
  // and zeroed when the thread exits (its last syscall never returns): Linux DTrace 2.0 keeps
  // thread-locals in a BPF hash map, and deleting and re-creating both on every syscall cost more
  // than everything else the probes do (1084 -> 610 ns of BPF time per syscall here, the getppid
  // loop 0.70 -> 1.04 M calls/s). A thread's exit without an entry (a new thread returning from
  // clone, a syscall in flight at start) still finds none and is skipped. Left set at exit, they
  // would hold dynamic-variable space until it filled, and then new threads' syscalls were dropped.
  dtraceLinux: `rawtp:raw_syscalls::sys_enter { self->ts = timestamp; self->nr = arg1; }
rawtp:raw_syscalls::sys_exit /self->ts/ {
  @lat_us[self->nr] = quantize((timestamp - self->ts) / 1000);
}
rawtp:sched::sched_process_exit { self->ts = 0; self->nr = 0; }
`,
  linuxKeyNames: ([nr, ...rest]) => [syscallName(nr ?? ''), ...rest],
};
