// heat-record clip run.db --from T --to T -o part.db: a recording of one window of another.

import type { Command } from 'commander';
import { clipRecording } from '../share/clip-recording.js';
import { HeatError } from '../model/heat-error.js';
import { printable } from '../model/printable.js';
import { lateTotalProgress } from '../report/progress-line.js';
import { RecordingReader } from '../store/recording-reader.js';
import { parseTimePoint } from './options.js';

interface ClipFlags {
  from?: string;
  to?: string;
  output?: string;
  force?: boolean;
  quiet?: boolean;
}

export function registerClip(program: Command): void {
  program
    .command('clip <recording>')
    .description(
      'write the seconds between --from and --to as a new recording (its own rollups, metadata kept)',
    )
    .option(
      '--from <time>',
      'first second: seconds since the start (90, 5m) or an ISO date-time (default: the start)',
    )
    .option('--to <time>', 'last second, inclusive, same forms (default: the end)')
    .option('-o, --output <file>', 'the new recording (required)')
    .option('-f, --force', 'replace the output file if it exists')
    .option('-q, --quiet', 'no progress line on a terminal')
    .action((file: string, flags: ClipFlags) => {
      if (!flags.output)
        throw new HeatError(
          'no output file',
          'say where to write the clip with -o, e.g. -o part.db',
        );
      const reader = RecordingReader.open(file, 'recording');
      const progress = lateTotalProgress(`clip ${file}`, {
        quiet: flags.quiet === true,
        format: (done, total) => `${done}/${total} s`,
      });
      try {
        const startMs = reader.startMs;
        const from =
          flags.from === undefined ? 0 : Math.max(0, parseTimePoint(flags.from, '--from', startMs));
        const to =
          flags.to === undefined
            ? Number.MAX_SAFE_INTEGER
            : parseTimePoint(flags.to, '--to', startMs);
        if (to < from)
          throw new HeatError(`--to (${to} s) is before --from (${from} s)`, 'swap them');
        const seconds = clipRecording(reader, {
          from,
          to,
          output: flags.output,
          force: flags.force ?? false,
          commandLine: ['heat-record', ...process.argv.slice(2)],
          onSecond: progress.update,
        });
        progress.end();
        process.stderr.write(
          `${printable(`heat-record: wrote ${seconds} second(s) (${from} s .. ${Math.min(to, from + seconds - 1)} s) to ${flags.output}`)}\n`,
        );
      } finally {
        progress.end();
        reader.close();
      }
    });
}
