// heat-record merge a.db b.db … -o fleet.db: many machines' recordings as one, keyed by host.

import type { Command } from 'commander';
import { HeatError } from '../model/heat-error.js';
import { printable } from '../model/printable.js';
import { lateTotalProgress } from '../report/progress-line.js';
import { mergeRecordings } from '../share/merge-recordings.js';
import { RecordingReader } from '../store/recording-reader.js';

export function registerMerge(program: Command): void {
  program
    .command('merge <recordings...>')
    .description(
      'merge recordings (e.g. of several hosts) into one, aligned on wall-clock time, with the host as the first key element',
    )
    .option('-o, --output <file>', 'the merged recording (required)')
    .option('-f, --force', 'replace the output file if it exists')
    .option('-q, --quiet', 'no progress line on a terminal')
    .action((files: string[], flags: { output?: string; force?: boolean; quiet?: boolean }) => {
      if (!flags.output)
        throw new HeatError(
          'no output file',
          'say where to write the merged recording with -o, e.g. -o fleet.db',
        );
      if (files.length < 2)
        throw new HeatError(
          'merge needs at least two recordings',
          'e.g. heat-record merge a.db b.db -o fleet.db',
        );
      const readers: RecordingReader[] = [];
      const progress = lateTotalProgress(printable(`merge into ${flags.output}`), {
        quiet: flags.quiet === true,
        format: (done, total) => `${done}/${total} s`,
      });
      try {
        for (const f of files) readers.push(RecordingReader.open(f, 'recording'));
        const { seconds, hosts } = mergeRecordings(readers, {
          output: flags.output,
          force: flags.force ?? false,
          commandLine: ['heat-record', ...process.argv.slice(2)],
          onSecond: progress.update,
        });
        progress.end();
        process.stderr.write(
          `${printable(`heat-record: merged ${files.length} recordings (${hosts.join(', ')}) into ${flags.output}: ${seconds} seconds`)}\n`,
        );
      } finally {
        progress.end();
        for (const r of readers) r.close();
      }
    });
}
