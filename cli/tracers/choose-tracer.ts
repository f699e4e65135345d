// Picks the tracer: the --tracer flag, else bpftrace on Linux when installed, else libdtrace when
// its binding loads (the default DTrace tracer), else dtrace(1).

import { HeatError } from '../model/heat-error.js';
import { BpftraceTracer } from './bpftrace.js';
import { DtraceTracer } from './dtrace.js';
import { findExecutable } from './find-executable.js';
import { LibdtraceTracer, libdtraceAvailable } from './libdtrace.js';
import { SyntheticTracer, type SyntheticOptions } from './synthetic.js';
import type { Tracer, TracerName } from './tracer.js';

export const TRACER_NAMES: readonly TracerName[] = ['bpftrace', 'dtrace', 'libdtrace', 'synthetic'];

export async function chooseTracer(
  name: TracerName | undefined,
  options: { synthetic?: SyntheticOptions } = {},
): Promise<Tracer> {
  const chosen = name ?? (await defaultTracer());
  switch (chosen) {
    case 'bpftrace':
      return new BpftraceTracer();
    case 'dtrace':
      return new DtraceTracer();
    case 'libdtrace':
      return new LibdtraceTracer();
    case 'synthetic':
      return new SyntheticTracer(options.synthetic);
    default:
      throw new HeatError(
        `unknown tracer "${String(chosen)}" (--tracer)`,
        `choose one of: ${TRACER_NAMES.join(', ')}`,
      );
  }
}

async function defaultTracer(): Promise<TracerName> {
  if (process.platform === 'linux' && findExecutable('bpftrace')) return 'bpftrace';
  if (await libdtraceAvailable()) return 'libdtrace';
  // Linux without either: bpftrace's preflight says how to install it.
  return process.platform === 'linux' && !findExecutable('dtrace') ? 'bpftrace' : 'dtrace';
}
