// The bpftrace tracer (Linux): runs `bpftrace -q -f json` on the completed script and parses
// its NDJSON stream; stderr warnings become health rows instead of terminal noise.

import { execFileSync } from 'node:child_process';
import { HeatError } from '../model/heat-error.js';
import {
  keyArityFromScript,
  schemeHintsFromScript,
  stackKindsFromScript,
} from '../parse/bpftrace-keys.js';
import { BpftraceJsonParser, parseBpftraceStderrLine } from '../parse/bpftrace-json.js';
import { SecondKeyedAssembler } from '../parse/second-keyed-assembler.js';
import { baseAggregation } from './bpftrace-second-maps.js';
import { scriptLineCount } from './bpftrace-program.js';
import { describeBpftraceErrors } from '../parse/bpftrace-errors.js';
import { hasUserStacks } from './bpftrace-stack-maps.js';
import { runChildTracer } from './child-tracer.js';
import { ProcessFrames } from './process-frames.js';
import { findExecutable } from './find-executable.js';
import { ensureTracefs } from './tracefs.js';
import type { Program, Tracer, TracerInfo, TracerRun } from './tracer.js';

/** Linux refuses one argument longer than this (MAX_ARG_STRLEN, 32 pages), with E2BIG. */
const MAX_ARG_BYTES = 128 * 1024;
/** How bpftrace names an -e program in its error messages ("stdin:3:5-9: ERROR: ..."). */
const INLINE_PROGRAM_NAME = 'stdin';

const INSTALL_HINT =
  'install it: sudo apt-get install -y bpftrace (Debian/Ubuntu), sudo dnf install -y bpftrace (Fedora/RHEL), or pick --tracer synthetic for a demo';

export class BpftraceTracer implements Tracer {
  readonly name = 'bpftrace' as const;
  private info: TracerInfo | null = null;

  /** @param command the bpftrace executable @default "bpftrace" from PATH */
  constructor(private readonly command = 'bpftrace') {}

  async preflight(): Promise<TracerInfo> {
    const path = findExecutable(this.command);
    if (!path) throw new HeatError(`bpftrace is not installed (not found on PATH)`, INSTALL_HINT);
    if (process.geteuid?.() !== 0)
      throw new HeatError(
        'bpftrace needs root to load BPF programs',
        'run with sudo: sudo heat-record ...',
      );
    ensureTracefs();
    this.info = { name: 'bpftrace', version: bpftraceVersion(path) };
    return this.info;
  }

  async start(program: Program): Promise<TracerRun> {
    const info = this.info ?? (await this.preflight());
    // The program goes on the command line, not in a temp file: a kill -9 leaves nothing behind.
    if (Buffer.byteLength(program.text) >= MAX_ARG_BYTES) {
      throw new HeatError(
        `the bpftrace program is ${Math.ceil(Buffer.byteLength(program.text) / 1024)} KB; bpftrace takes at most ${MAX_ARG_BYTES / 1024} KB`,
        'shorten the script',
      );
    }
    // User stacks: bpftrace prints addresses and the recorder names them (process-frames.ts).
    const userStacks = hasUserStacks(program.text);
    const frames = userStacks ? new ProcessFrames() : null;
    return runChildTracer({
      info,
      command: this.command,
      args: ['-q', '-f', 'json', '-e', program.text],
      env: {
        BPFTRACE_MAP_KEYS_MAX: '65536',
        ...(userStacks ? { BPFTRACE_NO_USER_SYMBOLS: '1' } : {}),
        ...process.env,
      },
      parser: new BpftraceJsonParser(
        keyArityFromScript(program.text),
        schemeHintsFromScript(program.text),
        stackKindsFromScript(program.text),
        frames ? (pid, address) => frames.name(pid, address) : undefined,
      ),
      assembler: new SecondKeyedAssembler(baseAggregation),
      stderrLine: parseBpftraceStderrLine,
      // The recording ends with END's output, not with bpftrace's exit: detaching can take
      // seconds (hundreds of probes; --stacks on a busy machine took 0.6-2 s here). Killing it
      // then is clean (the kernel detaches a dead process's programs), so heat-record's exit does.
      endsAtEndMarker: true,
      deathSignal: 'KILL',
      describeFailure: (stderr) =>
        describeBpftraceErrors(stderr, {
          programFile: INLINE_PROGRAM_NAME,
          scriptLines: scriptLineCount(program.text),
          source: program.source ?? 'the script',
        }),
    });
  }
}

/** "v0.17.0" from `bpftrace --version` ("bpftrace v0.17.0"). */
function bpftraceVersion(path: string): string {
  try {
    const out = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    return out.trim().replace(/^bpftrace\s+/, '');
  } catch {
    return 'unknown';
  }
}
