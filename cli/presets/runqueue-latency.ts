// Scheduler run-queue latency: time from becoming runnable to running, by CPU.

import type { Preset } from './preset.js';

export const runqueueLatency: Preset = {
  name: 'runqueue-latency',
  description: 'scheduler run-queue latency, wakeup or preemption to running, by CPU (µs)',
  unit: 'us',
  // sched_switch runs on the task leaving the CPU: the kernel stack shows why it left (blocked,
  // preempted); the user stack would be that task's code, not the waiting one's.
  stacks: 'kernel',
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
  // Linux DTrace: sched:::enqueue, dequeue and on-cpu sit on kprobes (none on kernels without
  // them), so this is the bpftrace script in D on the same raw tracepoints. sched_switch's raw
  // arguments: (preempt, prev, next, prev_state). The raw prev_state is the task's own state, not
  // the formatted one bpftrace reads (0x100 there is TASK_WAKEKILL, not "preempted"): a task is
  // still runnable when preempted (arg0), whatever state it was setting, or when still TASK_RUNNING.
  // A wait is marked done with 1, never deleted with 0: Linux DTrace 2.0 keys an associative
  // array element's value by the address of a hash-map element, which a deletion frees for reuse,
  // so after deletions two live pids can share one value. Deleting lost ~20 % of busy loops' waits
  // and read others against foreign timestamps (hours-long "waits"); marking sees them all, within
  // a switch-in or two of the kernel's count (see ../../README.md, Presets). The cost: one entry
  // per pid that ever waited (dynvarsize).
  dtraceLinux: `rawtp:sched::sched_wakeup, rawtp:sched::sched_wakeup_new { qts[((struct task_struct *)arg0)->pid] = timestamp; }
rawtp:sched::sched_switch {
  this->prev_pid = ((struct task_struct *)arg1)->pid;
  this->next_pid = ((struct task_struct *)arg2)->pid;
}
rawtp:sched::sched_switch /this->prev_pid != 0 && (arg0 || arg3 == 0)/ { qts[this->prev_pid] = timestamp; }
rawtp:sched::sched_switch /this->next_pid != 0 && qts[this->next_pid] > 1/ {
  @rq_us[cpu] = quantize((timestamp - qts[this->next_pid]) / 1000);
  qts[this->next_pid] = 1;
}
`,
  linuxKeyNames: ([cpu, ...rest]) => [`cpu${cpu ?? ''}`, ...rest],
};
