// heat-record export run.db --format csv|json [--from --to]: every count as rows other tools read;
// --html out.html: the viewer and the recording in one file that opens anywhere, offline.

import type { Command } from 'commander';
import { HeatError } from '../model/heat-error.js';
import { lateTotalProgress, megabytes } from '../report/progress-line.js';
import { writeCsvExport, writeJsonExport, type ExportRange } from '../report/recording-export.js';
import { exportHtml, readPageTemplate } from '../share/html-export.js';
import { RecordingReader } from '../store/recording-reader.js';
import { parseTimePoint } from './options.js';

interface ExportFlags {
  format: string;
  from?: string;
  to?: string;
  html?: string;
  force?: boolean;
  quiet?: boolean;
}

export function registerExport(program: Command): void {
  program
    .command('export <recording>')
    .description('export counts to stdout: CSV (t,time,key,lo,hi,count) or JSON')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--from <time>', 'first second: seconds since the start (90, 5m) or an ISO date-time')
    .option('--to <time>', 'last second (inclusive), same forms as --from')
    .option(
      '--html <file>',
      'write one self-contained HTML page (viewer + recording) that opens offline',
    )
    .option('--force', 'replace the --html file if it exists')
    .option('-q, --quiet', 'no progress line on a terminal (--html)')
    .action(async (file: string, flags: ExportFlags) => {
      if (flags.html !== undefined) return writeHtml(file, flags);
      if (flags.format !== 'csv' && flags.format !== 'json')
        throw new HeatError(
          `--format "${flags.format}" is not supported`,
          'use --format csv or --format json',
        );
      const reader = RecordingReader.open(file, 'recording');
      try {
        const range = exportRange(reader, flags);
        if (flags.format === 'csv')
          await writeCsvExport(reader, range, process.stdout, process.stdout.isTTY === true);
        else await writeJsonExport(reader, range, process.stdout);
      } finally {
        reader.close();
      }
    });
}

function writeHtml(file: string, flags: ExportFlags): void {
  if (flags.from !== undefined || flags.to !== undefined)
    throw new HeatError(
      '--html exports the whole recording',
      'clip it first: heat-record clip run.db --from T --to T -o part.db',
    );
  const progress = lateTotalProgress(`export --html ${file}`, {
    quiet: flags.quiet === true,
    format: megabytes,
  });
  let out;
  try {
    out = exportHtml(file, flags.html!, flags.force === true, readPageTemplate(), progress.update);
  } finally {
    progress.end();
  }
  const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
  process.stdout.write(
    `wrote ${flags.html}: ${mb(out.htmlBytes)} (recording ${mb(out.recordingBytes)}, gzipped ${mb(out.gzippedBytes)}; viewer and encoding add ${mb(out.overheadBytes)})\n`,
  );
}

function exportRange(reader: RecordingReader, flags: ExportFlags): ExportRange {
  const startMs = reader.startMs;
  const from =
    flags.from === undefined
      ? undefined
      : Math.max(0, parseTimePoint(flags.from, '--from', startMs));
  const to = flags.to === undefined ? undefined : parseTimePoint(flags.to, '--to', startMs);
  if (to !== undefined && to < (from ?? 0))
    throw new HeatError(`--to (${to} s) is before --from (${from ?? 0} s)`, 'swap them');
  const last = reader.lastSecond();
  if (from !== undefined && (last === null || from > last)) {
    throw new HeatError(
      `--from ${flags.from} (${from} s) is past the end of ${reader.path}, which ${last === null ? 'holds no seconds' : `ends at ${last} s`}`,
      'heat-record info shows its seconds',
    );
  }
  return { from, to };
}
