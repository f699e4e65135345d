// heat-record's entry: registers the commands and funnels every error into one line.

import { Command, CommanderError } from 'commander';
import { registerClip } from './commands/clip.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerInfo } from './commands/info.js';
import { registerMark } from './commands/mark.js';
import { registerMerge } from './commands/merge.js';
import { registerPresets } from './commands/presets.js';
import { registerRecord } from './commands/record.js';
import { checkCommandWord } from './commands/unknown-command.js';
import { HeatError } from './model/heat-error.js';
import { isClosedOutput } from './model/closed-output.js';
import { printable } from './model/printable.js';
import { packageVersion } from './package-root.js';

export async function main(argv: string[]): Promise<void> {
  const program = new Command('heat-record')
    .description(
      'Record kernel latency histograms every second into one self-describing SQLite file.',
    )
    .version(packageVersion())
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      '\nRecording is the default command: heat-record -o run.db [--preset P | -e prog | -s file] [--tracer T] [--duration 10m] [--serve]\nSee all its options with: heat-record record --help',
    )
    .exitOverride();
  registerRecord(program);
  registerPresets(program);
  registerInfo(program);
  registerExport(program);
  registerImport(program);
  registerClip(program);
  registerMerge(program);
  registerMark(program);
  await runCommand(program, argv, () => checkCommandWord(program, argv.slice(2)));
}

/**
 * Runs a commander program (after `check` of its arguments); known errors become one line and an
 * exit status, never a stack trace.
 * A reader that closes our stdout (`| head`) ends the output quietly, as Unix tools do: the write
 * that fails says so (see closed-output.ts), and this listener keeps the stream's own error event
 * from ending the process with a stack trace.
 */
export async function runCommand(
  program: Command,
  argv: string[],
  check: () => void = () => {},
): Promise<void> {
  if (!process.stdout.listeners('error').includes(ignore)) process.stdout.on('error', ignore);
  try {
    check();
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = reportError(err, program.name());
  }
}

function ignore(): void {}

function reportError(err: unknown, name: string): number {
  if (err instanceof CommanderError) return err.exitCode; // commander already printed its message
  if (isClosedOutput(err)) return 0;
  if (err instanceof HeatError) {
    process.stderr.write(`${printable(err.toLine().replace(/^heat-record:/, `${name}:`))}\n`);
    return err.exitCode;
  }
  const message = printable(err instanceof Error ? err.message : String(err));
  process.stderr.write(
    `${name}: unexpected error: ${message} (set HEAT_DEBUG=1 for details, and please report it)\n`,
  );
  if (process.env.HEAT_DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
  return 70;
}
