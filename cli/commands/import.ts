// heat-record import trace.txt -o run.db: saved tracer output -> a recording.

import type { Command } from 'commander';
import { HeatError } from '../model/heat-error.js';
import { IMPORT_FORMATS, parseTraceFile, type ImportFormat } from '../import/import-trace.js';
import { syscallName } from '../presets/syscall-names.js';
import { newRecordingMeta } from '../record/recording-meta.js';
import { RecordingWriter } from '../store/recording-writer.js';
import { parseUnit } from './options.js';

interface ImportFlags {
  output?: string;
  format?: string;
  unit?: string;
  start?: string;
  syscallNames?: boolean;
  force?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import <trace>')
    .description('turn saved tracer output (bpftrace JSON/text printed every interval, DTrace printa text) into a recording')
    .option('-o, --output <file>', 'the recording to write (required)')
    .option('--format <format>', `${IMPORT_FORMATS.join(' | ')} (default: detected)`)
    .option('--unit <unit>', 'unit of the values: ns, us, ms, s or count (default: from names like @lat_us)')
    .option('--start <time>', 'wall-clock time of the first interval, ISO 8601 (default: file time minus its length)')
    .option('--syscall-names', 'map integer keys (raw_syscalls args->id) to syscall names')
    .option('-f, --force', 'replace the output file if it exists')
    .action((trace: string, flags: ImportFlags) => runImport(trace, flags));
}

function runImport(trace: string, flags: ImportFlags): void {
  if (!flags.output) throw new HeatError('no output file', 'say where to write the recording with -o, e.g. -o run.db');
  const format = checkFormat(flags.format);
  const startMs = flags.start === undefined ? undefined : Date.parse(flags.start);
  if (startMs !== undefined && !Number.isFinite(startMs)) throw new HeatError(`--start "${flags.start}" is not a date-time`, 'use ISO 8601, e.g. 2026-11-26T05:00:00Z');
  const parsed = parseTraceFile(trace, format, startMs);
  const unit = flags.unit ? parseUnit(flags.unit) : parsed.unitHint ?? 'count';
  const program = { preset: 'import', unit, text: `# imported from ${trace} (${parsed.format})\n` };
  const meta = newRecordingMeta(program, { name: 'synthetic', version: '' }, ['heat-record', ...process.argv.slice(2)], parsed.snapshots[0]!.wallMs - 1000);
  const writer = RecordingWriter.create(flags.output, { ...meta, tracer: `import:${parsed.format}`, tracer_version: 'unknown', host: 'unknown', os: 'unknown', kernel: 'unknown', arch: 'unknown' }, { force: flags.force ?? false });
  for (const s of parsed.snapshots) {
    writer.append(flags.syscallNames ? { ...s, histograms: s.histograms.map((h) => ({ ...h, key: [syscallName(h.key[0] ?? ''), ...h.key.slice(1)] })) } : s);
  }
  const endMs = parsed.snapshots[parsed.snapshots.length - 1]!.wallMs;
  writer.finish({ end_ms: String(endMs), end_time: new Date(endMs).toISOString(), end_reason: 'imported', status: 'complete' });
  process.stderr.write(`heat-record: imported ${parsed.snapshots.length} interval(s) of ${parsed.format} into ${flags.output} (unit ${unit})\n`);
}

function checkFormat(format: string | undefined): ImportFormat | undefined {
  if (format === undefined) return undefined;
  if (!(IMPORT_FORMATS as readonly string[]).includes(format)) throw new HeatError(`--format "${format}" is not supported`, `use one of: ${IMPORT_FORMATS.join(', ')}`);
  return format as ImportFormat;
}
