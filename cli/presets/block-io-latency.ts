// Block I/O latency from issue to completion, by disk.

import { readFileSync } from 'node:fs';
import type { Preset } from './preset.js';

export const blockIoLatency: Preset = {
  name: 'block-io-latency',
  description: 'block device I/O latency, issue to completion, by disk (µs)',
  unit: 'us',
  // Completion runs in interrupt context: its user stack is whatever the CPU was running, while
  // the kernel stack shows the completion path (and, for a synchronous I/O, who waited).
  stacks: 'kernel',
  // Tracepoints, not kprobes: blk_account_io_* kprobes (upstream biolatency.bt) are missing on many kernels.
  bpftrace: `tracepoint:block:block_rq_issue { @start[args->dev, args->sector] = nsecs; }
tracepoint:block:block_rq_complete /@start[args->dev, args->sector]/ {
  @lat_us[args->dev] = hist((nsecs - @start[args->dev, args->sector]) / 1000);
  delete(@start[args->dev, args->sector]);
}
`,
  dtrace: `io:::start { start[arg0] = timestamp; }
io:::done /start[arg0]/ {
  @lat_us[args[1]->dev_statname] = quantize((timestamp - start[arg0]) / 1000);
  start[arg0] = 0;
}
`,
  // Linux DTrace's io provider works (on tracepoints); its dev_statname reads "vda0" for the disk
  // vda, so the key is the dev_t built as the kernel's block tracepoints give it, named like bpftrace's.
  // A finished request is marked with 1, not deleted with 0: Linux DTrace 2.0's associative arrays
  // can mix up live elements after deletions (see runqueue-latency.ts). The key is the request's
  // struct bio, whose addresses the kernel's bio slab reuses, so the entries stay few.
  dtraceLinux: `io:::start { start[arg0] = timestamp; }
io:::done /start[arg0] > 1/ {
  @lat_us[(args[1]->dev_major << 20) | args[1]->dev_minor] = quantize((timestamp - start[arg0]) / 1000);
  start[arg0] = 1;
}
`,
  linuxKeyNames: ([dev, ...rest]) => [deviceName(dev ?? ''), ...rest],
};

/** A kernel dev_t (major << 20 | minor) as its device name ("vda"), or "major:minor". */
export function deviceName(devT: string): string {
  const dev = Number(devT);
  if (!Number.isInteger(dev)) return devT;
  const id = `${dev >>> 20}:${dev & 0xfffff}`;
  try {
    const uevent = readFileSync(`/sys/dev/block/${id}/uevent`, 'utf8');
    return /^DEVNAME=(.+)$/m.exec(uevent)?.[1] ?? id;
  } catch {
    return id;
  }
}
