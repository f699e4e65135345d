// A preset is one measurement with its bpftrace and D scripts side by side and its unit.
// The scripts only define histograms: the recorder adds the per-second print/clear itself.

import type { Unit } from '../../schemas/format.js';

export interface Preset {
  name: string;
  /** One line for `heat-record presets`. */
  description: string;
  unit: Unit;
  /** bpftrace script (Linux), 0.17 syntax so it runs on every bpftrace since. */
  bpftrace: string;
  /** D script (illumos, macOS, FreeBSD, Oracle Linux). */
  dtrace: string;
  /** Turns bpftrace's raw key (a syscall number, a dev_t) into the name people know. */
  bpftraceKeyNames?: (key: string[]) => string[];
}
