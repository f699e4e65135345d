// heat-record import trace.txt -o run.db: saved tracer output -> a recording.

import type { Command } from 'commander';
import { HeatError } from '../model/heat-error.js';
import { importTrace, type ImportSummary } from '../import/import-recording.js';
import { IMPORT_FORMATS, type ImportFormat } from '../import/import-trace.js';
import { printable } from '../model/printable.js';
import { lateTotalProgress } from '../report/progress-line.js';
import { parseUnit } from './options.js';

/** Skipped lines listed one by one on stderr; the rest are only counted. */
const LISTED_SKIPS = 10;

interface ImportFlags {
  output?: string;
  format?: string;
  unit?: string;
  start?: string;
  syscallNames?: boolean;
  force?: boolean;
  quiet?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import <trace>')
    .description(
      'turn saved tracer output (bpftrace JSON/text printed every interval, DTrace printa text) into a recording',
    )
    .option('-o, --output <file>', 'the recording to write (required)')
    .option('--format <format>', `${IMPORT_FORMATS.join(' | ')} (default: detected)`)
    .option(
      '--unit <unit>',
      'unit of the values: ns, us, ms, s or count (default: from names like @lat_us)',
    )
    .option(
      '--start <time>',
      'wall-clock time of the first interval, ISO 8601 (default: printed wall-clock lines, else file time minus its length)',
    )
    .option('--syscall-names', 'map integer keys (raw_syscalls args->id) to syscall names')
    .option('-f, --force', 'replace the output file if it exists')
    .option('-q, --quiet', 'no progress line on a terminal')
    .action((trace: string, flags: ImportFlags) => runImport(trace, flags));
}

function runImport(trace: string, flags: ImportFlags): void {
  if (!flags.output)
    throw new HeatError(
      'no output file',
      'say where to write the recording with -o, e.g. -o run.db',
    );
  const startMs = flags.start === undefined ? undefined : Date.parse(flags.start);
  if (startMs !== undefined && !Number.isFinite(startMs))
    throw new HeatError(
      `--start "${flags.start}" is not a date-time`,
      'use ISO 8601, e.g. 2026-11-26T05:00:00Z',
    );
  const progress = lateTotalProgress(printable(`import ${trace}`), {
    quiet: flags.quiet === true,
    format: (done, total) => `${done}/${total} intervals`,
  });
  let summary: ImportSummary;
  try {
    summary = importTrace(trace, flags.output, {
      format: checkFormat(flags.format),
      unit: flags.unit ? parseUnit(flags.unit) : undefined,
      startMs,
      syscallNames: flags.syscallNames ?? false,
      force: flags.force ?? false,
      commandLine: ['heat-record', ...process.argv.slice(2)],
      onSnapshot: progress.update,
    });
  } finally {
    progress.end();
  }
  reportSkips(trace, summary);
  say(
    `imported ${summary.intervals} interval(s) of ${summary.format} into ${flags.output} (unit ${summary.unit})`,
  );
}

function reportSkips(trace: string, { skipped }: ImportSummary): void {
  for (const s of skipped.slice(0, LISTED_SKIPS))
    say(`${trace} line ${s.line} skipped: ${s.reason}`);
  if (skipped.length > LISTED_SKIPS)
    say(`... ${skipped.length - LISTED_SKIPS} more line(s) skipped`);
  if (skipped.length > 0)
    say(`${skipped.length} line(s) skipped in all, counted in the recording's health table`);
}

/** One line on stderr; file names as given may hold control characters. */
function say(line: string): void {
  process.stderr.write(`heat-record: ${printable(line)}\n`);
}

function checkFormat(format: string | undefined): ImportFormat | undefined {
  if (format === undefined) return undefined;
  if (!(IMPORT_FORMATS as readonly string[]).includes(format))
    throw new HeatError(
      `--format "${format}" is not supported`,
      `use one of: ${IMPORT_FORMATS.join(', ')}`,
    );
  return format as ImportFormat;
}
