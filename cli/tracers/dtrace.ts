// The dtrace(1) tracer (illumos, macOS, FreeBSD, Oracle Linux): runs `dtrace -q -s` on the completed
// D script and parses its default text output; drops and errors on stderr become health rows.

import { execFileSync } from 'node:child_process';
import { HeatError } from '../model/heat-error.js';
import { STACK_MAP_SUFFIX } from '../parse/bpftrace-stacks.js';
import { DtraceTextParser } from '../parse/dtrace-text.js';
import { parseDtraceStderrLine } from '../parse/dtrace-stderr.js';
import { SecondKeyedAssembler } from '../parse/second-keyed-assembler.js';
import { baseAggregation } from './bpftrace-second-maps.js';
import { runChildTracer } from './child-tracer.js';
import { programOnStdin } from './program-stdin.js';
import { distributionAggregations } from './dtrace-program.js';
import { findExecutable } from './find-executable.js';
import type { Program, Tracer, TracerInfo, TracerRun } from './tracer.js';

/** How to get a working dtrace, by process.platform. */
const INSTALL_HINTS: Partial<Record<NodeJS.Platform, string>> = {
  linux:
    'on Oracle Linux: sudo dnf install dtrace; elsewhere build Oracle\'s dtrace-utils 2.0 from source (README: "DTrace on Linux"), or use --tracer bpftrace',
  darwin:
    'macOS ships /usr/sbin/dtrace: put /usr/sbin on PATH; System Integrity Protection must allow DTrace (from Recovery: csrutil enable --without dtrace)',
  freebsd:
    'FreeBSD ships /usr/sbin/dtrace: load its kernel modules with kldload dtraceall and put /usr/sbin on PATH',
  sunos: 'illumos and Solaris ship /usr/sbin/dtrace: put /usr/sbin on PATH',
};
const OTHER_HINT =
  "DTrace is built into illumos, macOS and FreeBSD; on Linux install Oracle's dtrace-utils or use --tracer bpftrace";

export interface DtraceTracerOptions {
  /** The dtrace executable. @default "dtrace" from PATH */
  command?: string;
  /** Picks the install hint. @default process.platform */
  platform?: NodeJS.Platform;
  /** Effective user id. @default process.geteuid */
  geteuid?: () => number;
}

export class DtraceTracer implements Tracer {
  readonly name = 'dtrace' as const;
  private path: string | null = null;
  private info: TracerInfo | null = null;

  constructor(private readonly options: DtraceTracerOptions = {}) {}

  async preflight(): Promise<TracerInfo> {
    const {
      command = 'dtrace',
      platform = process.platform,
      geteuid = () => process.geteuid?.() ?? 0,
    } = this.options;
    const path = findExecutable(command);
    if (!path)
      throw new HeatError(
        'DTrace is needed for --tracer dtrace, but dtrace is not on PATH',
        INSTALL_HINTS[platform] ?? OTHER_HINT,
      );
    if (geteuid() !== 0)
      throw new HeatError(
        'dtrace needs root to enable probes',
        'run with sudo: sudo heat-record ...',
      );
    this.path = path;
    this.info = { name: 'dtrace', version: dtraceVersion(path, platform) };
    return this.info;
  }

  async start(program: Program): Promise<TracerRun> {
    const info = this.info ?? (await this.preflight());
    return runChildTracer({
      info,
      command: this.path!,
      // The program as stdin, not a temp file: it would outlive a kill -9, and a run that ends
      // before dtrace has detached (endsAtEndMarker).
      args: ['-q', '-s', '/dev/stdin'],
      stdin: programOnStdin(program.text),
      // Each drain prints one parity of every distribution, in the script's order: name them by
      // it. Stack companions (--stacks) follow, each named by its marker line.
      parser: new DtraceTextParser({
        aggregations: [
          ...new Set(
            distributionAggregations(program.text)
              .map(baseAggregation)
              .filter((name) => !name.endsWith(STACK_MAP_SUFFIX)),
          ),
        ],
        stacks: program.stacks !== undefined,
      }),
      // Distributions are keyed by the kernel second (dtrace-program.ts).
      assembler: new SecondKeyedAssembler(),
      stderrLine: parseDtraceStderrLine,
      // dtrace(1) ignores SIGINT when started in the background by a script; TERM always works.
      stopSignal: 'SIGTERM',
      // Detaching Linux DTrace's 720 syscall probes takes 55-60 s: the recording does not wait.
      endsAtEndMarker: true,
    });
  }
}

/** "Sun D 1.13" from `dtrace -V` ("dtrace: Sun D 1.13"). A dtrace that cannot say is not DTrace. */
function dtraceVersion(path: string, platform: NodeJS.Platform): string {
  try {
    const out = execFileSync(path, ['-V'], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out.trim().replace(/^dtrace:\s*/, '');
  } catch (err) {
    const hint =
      platform === 'linux'
        ? "Debian's systemtap-sdt-dev installs a dtrace that only builds USDT headers: use --tracer bpftrace"
        : (INSTALL_HINTS[platform] ?? OTHER_HINT);
    throw new HeatError(
      `${path} -V failed, so it is not a working DTrace (${firstLine(err)})`,
      hint,
    );
  }
}

function firstLine(err: unknown): string {
  const stderr = (err as { stderr?: string }).stderr;
  return (stderr || (err as Error).message || String(err)).trim().split('\n')[0]!;
}
