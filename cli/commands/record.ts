// heat-record [record] -o run.db: options -> validate -> record().

import type { Command } from 'commander';
import { HeatError } from '../model/heat-error.js';
import { shellWord } from '../model/shell-word.js';
import { buildProgram, type ProgramChoice } from '../record/program-source.js';
import { record } from '../record/recorder.js';
import { fileSize, statusLine } from '../record/status-line.js';
import { chooseTracer, TRACER_NAMES } from '../tracers/choose-tracer.js';
import type { TracerName } from '../tracers/tracer.js';
import { LiveRecording } from '../serve/live-recording.js';
import {
  startViewerServer,
  type RunningServer,
  type ServeOptions,
} from '../serve/viewer-server.js';
import { checkTokenStrength } from '../serve/access-token.js';
import { collectAllowedHost } from './allow-host.js';
import { parseListenAddress } from './listen-address.js';
import {
  parseDurationSeconds,
  parsePositiveInt,
  parseQuantity,
  parseStacksChoice,
  parseUnit,
} from './options.js';

interface RecordFlags {
  output?: string;
  preset?: string;
  e?: string;
  s?: string;
  unit?: string;
  tracer?: string;
  duration?: string;
  force?: boolean;
  quiet?: boolean;
  seed?: string;
  keys?: string;
  fast?: boolean;
  serve?: string | boolean;
  token?: string;
  allowHost: string[];
  stacks?: string | boolean;
  stacksAbove?: string;
}

export function registerRecord(program: Command): void {
  program
    .command('record', { isDefault: true })
    .description(
      'record latency histograms every second into a SQLite recording (the default command)',
    )
    .option('-o, --output <file>', 'the recording to write (required)')
    .option('-p, --preset <name>', 'what to measure (see: heat-record presets)', 'syscall-latency')
    .option('-e <program>', 'a custom tracer program defining histograms (instead of --preset)')
    .option('-s <file>', 'a custom tracer script file (instead of --preset)')
    .option('--unit <unit>', "the unit of a custom script's values: ns, us, ms, s or count", 'us')
    .option(
      '-t, --tracer <name>',
      `${TRACER_NAMES.join(' | ')} (default: bpftrace on Linux, DTrace elsewhere)`,
    )
    .option(
      '-d, --duration <time>',
      'stop after this long, e.g. 30s, 10m, 2h (default: until Ctrl-C)',
    )
    .option('-f, --force', 'replace the output file if it exists')
    .option('-q, --quiet', 'no status line')
    .option('--seed <n>', 'synthetic tracer: random seed', '1')
    .option('--keys <n>', 'synthetic tracer: number of keys', '8')
    .option('--fast', 'synthetic tracer: generate seconds as fast as possible (needs --duration)')
    .option(
      '--serve [host:port]',
      'serve the viewer and stream every second live (default 127.0.0.1, any free port)',
    )
    .option(
      '--token <token>',
      'access token for --serve, 12 characters or more (generated when binding beyond loopback)',
    )
    .option(
      '--allow-host <name>',
      '--serve also answers requests for this host name (repeatable)',
      collectAllowedHost,
      [],
    )
    .option(
      '--stacks [which]',
      "also record the events' stacks: user, kernel or both (default: the preset's choice; user for a custom script)",
    )
    .option(
      '--stacks-above <time>',
      'only events at or above this carry a stack, e.g. 1ms, 500us (implies --stacks; default: every event)',
    )
    .action(async (flags: RecordFlags) => runRecord(flags));
}

async function runRecord(flags: RecordFlags): Promise<void> {
  const output = requireOutput(flags);
  const tracerName = flags.tracer as TracerName | undefined;
  if (flags.e !== undefined && flags.s !== undefined)
    throw new HeatError(
      '-e and -s cannot be used together',
      'give the program inline with -e or as a file with -s',
    );
  const durationS =
    flags.duration === undefined ? undefined : parseDurationSeconds(flags.duration, '--duration');
  const synthetic = {
    seed: parsePositiveInt(flags.seed ?? '1', '--seed'),
    keys: parsePositiveInt(flags.keys ?? '8', '--keys'),
    fast: flags.fast ?? false,
  };
  if (synthetic.fast && durationS === undefined)
    throw new HeatError(
      '--fast needs --duration',
      'say how many seconds to generate, e.g. --duration 1h',
    );
  const tracer = await chooseTracer(tracerName, { synthetic });
  if (synthetic.fast && tracer.name !== 'synthetic')
    throw new HeatError(
      '--fast only works with --tracer synthetic',
      'drop --fast, or add --tracer synthetic',
    );
  const program = buildProgram(tracer.name, {
    preset: flags.preset,
    expression: flags.e,
    scriptFile: flags.s,
    unit: parseUnit(flags.unit ?? 'us'),
    synthetic,
    ...stackChoice(flags),
  });
  for (const warning of program.warnings ?? [])
    process.stderr.write(`heat-record: warning: ${warning}\n`);
  const address =
    flags.serve === undefined
      ? null
      : parseListenAddress(typeof flags.serve === 'string' ? flags.serve : '', '--serve');
  if (flags.token !== undefined) checkTokenStrength(flags.token, '--token');
  const status = statusLine(output, { quiet: flags.quiet ?? false });
  const served = new LiveServing(
    output,
    address && { ...address, token: flags.token ?? null, allowHosts: flags.allowHost },
  );
  try {
    const result = await record({
      output,
      force: flags.force ?? false,
      tracer,
      program,
      durationS,
      status,
      commandLine: ['heat-record', ...process.argv.slice(2)],
      onStarted: (stop) => stopOnSignals(stop),
      onCreated: () => served.start(),
      onSecond: () => served.committed(),
    });
    if (!flags.quiet)
      process.stderr.write(
        `heat-record: recorded ${result.seconds} s to ${output} (${fileSize(output)}); open it with: heat-view ${shellWord(output)}\n`,
      );
  } finally {
    await served.stop();
  }
}

/** --serve: the viewer server and live stream next to the recording, for as long as it records. */
class LiveServing {
  private live: LiveRecording | null = null;
  private server: RunningServer | null = null;

  constructor(
    private readonly path: string,
    private readonly serve: Omit<ServeOptions, 'recordingPath'> | null,
  ) {}

  async start(): Promise<void> {
    if (!this.serve) return;
    this.live = new LiveRecording(this.path);
    this.server = await startViewerServer({
      recordingPath: this.path,
      ...this.serve,
      routes: this.live.routes,
    });
    process.stderr.write(`heat-record: live at ${this.server.url}\n`);
  }

  /** A second was committed: show it now rather than at the next poll. */
  committed(): void {
    this.live?.tail.poke();
  }

  /** After the recording is finished: tell viewers it ended, then close. */
  async stop(): Promise<void> {
    if (!this.live || !this.server) return;
    this.live.tail.poke();
    await new Promise((r) => setTimeout(r, 100)); // let the end message reach the clients
    this.live.close();
    await this.server.close();
  }
}

/** --stacks and --stacks-above as the program takes them; nothing when neither is given. */
function stackChoice(flags: RecordFlags): Pick<ProgramChoice, 'stacks'> {
  if (flags.stacks === undefined && flags.stacksAbove === undefined) return {};
  const above =
    flags.stacksAbove === undefined
      ? { value: 0, unit: null }
      : parseQuantity(flags.stacksAbove, '--stacks-above');
  return typeof flags.stacks === 'string'
    ? { stacks: { which: parseStacksChoice(flags.stacks), above } }
    : { stacks: { above } };
}

function requireOutput(flags: RecordFlags): string {
  if (!flags.output)
    throw new HeatError(
      'no output file',
      'say where to record with -o, e.g. heat-record -o run.db',
    );
  return flags.output;
}

/** First Ctrl-C / SIGTERM: stop cleanly (the last partial second is kept). A second Ctrl-C: leave now; committed seconds are safe. */
function stopOnSignals(stop: () => void): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(signal === 'SIGINT' ? 130 : 143);
    signalled = true;
    stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}
