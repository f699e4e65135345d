// The scripts the stacks tests and benches record a sleeping workload with (two-path,
// cxx-two-path): its clock_nanosleep calls, by its name, as bpftrace and as Linux D. One process's
// sleeps only, so other tests' workloads running beside stay out.

/** bpftrace: the named process's clock_nanosleep latency (µs), keyed by its name. */
export function bpftraceSleepScript(comm: string): string {
  return `tracepoint:syscalls:sys_enter_clock_nanosleep /comm == "${comm}"/ { @ts[tid] = nsecs; }
tracepoint:syscalls:sys_exit_clock_nanosleep /@ts[tid]/ {
  @lat_us[comm] = hist((nsecs - @ts[tid]) / 1000);
  delete(@ts[tid]);
}`;
}

/**
 * Linux D on the two raw_syscalls tracepoints the syscall preset uses (attached and gone in about
 * a second, where the syscall provider's 720 probes take a minute to detach): the named process's
 * x86_64 clock_nanosleep (230), keyed by `key` (a D expression; its name by default).
 */
export function dtraceSleepScript(execname: string, key = 'execname'): string {
  return `rawtp:raw_syscalls::sys_enter /execname == "${execname}" && arg1 == 230/ { self->ts = timestamp; }
rawtp:raw_syscalls::sys_exit /self->ts/ {
  @lat_us[${key}] = quantize((timestamp - self->ts) / 1000);
  self->ts = 0;
}`;
}
