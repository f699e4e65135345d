// Scheduler run-queue latency: time from becoming runnable to running, by CPU.

import type { Preset } from './preset.js';

export const runqueueLatency: Preset = {
  name: 'runqueue-latency',
  description: 'scheduler run-queue latency, wakeup or preemption to running, by CPU (µs)',
  unit: 'us',
  // prev_state 0 = TASK_RUNNING (yielded; preempted too on 6.18) and 0x100 = preempted
  // (TASK_REPORT_MAX, kernels since 4.14): both stay runnable, so their wait counts too (upstream
  // runqlat.bt misses preemptions). test/presets/runqueue-latency.test.ts checks it on busy loops.
  bpftrace: `tracepoint:sched:sched_wakeup, tracepoint:sched:sched_wakeup_new { @qtime[args->pid] = nsecs; }
tracepoint:sched:sched_switch {
  if (args->prev_pid != 0 && (args->prev_state == 0 || args->prev_state == 0x100)) {
    @qtime[args->prev_pid] = nsecs;
  }
  if (args->next_pid != 0) {
    $ns = @qtime[args->next_pid];
    if ($ns) { @rq_us[cpu] = hist((nsecs - $ns) / 1000); }
    delete(@qtime[args->next_pid]);
  }
}
`,
  dtrace: `sched:::enqueue { ts[args[0]->pr_lwpid, args[1]->pr_pid] = timestamp; }
sched:::dequeue /ts[args[0]->pr_lwpid, args[1]->pr_pid]/ {
  @rq_us[args[2]->cpu_id] = quantize((timestamp - ts[args[0]->pr_lwpid, args[1]->pr_pid]) / 1000);
  ts[args[0]->pr_lwpid, args[1]->pr_pid] = 0;
}
`,
  bpftraceKeyNames: ([cpu, ...rest]) => [`cpu${cpu ?? ''}`, ...rest],
};
