// A preset is one measurement with its bpftrace and D scripts side by side and its unit.
// The scripts only define histograms: the recorder adds the per-second print/clear itself.

import type { StacksChoice, Unit } from '../../schemas/format.js';

export interface Preset {
  name: string;
  /** One line for `heat-record presets`. */
  description: string;
  unit: Unit;
  /** bpftrace script (Linux), 0.17 syntax so it runs on every bpftrace since. */
  bpftrace: string;
  /** D script for the DTrace of illumos, macOS and FreeBSD (providers as the DTrace books use them). */
  dtrace: string;
  /**
   * D script for Oracle's Linux DTrace 2.0 (on BPF): raw tracepoints where its providers cost
   * too much or do not fire without kprobes; `timestamp`, as `vtimestamp` is not implemented.
   */
  dtraceLinux: string;
  /**
   * Turns the raw keys of the Linux scripts (bpftrace and Linux D alike: a syscall number, a
   * dev_t, a CPU number) into the names people know.
   */
  linuxKeyNames?: (key: string[]) => string[];
  /**
   * The stacks `--stacks` takes when it names none: the ones that say why an event was slow.
   * @default "user"
   */
  stacks?: StacksChoice;
}
