// heat-record import's core: a saved trace -> a finished recording, all or nothing. The recording
// is written under a hidden name beside the output and renamed into place once finished, so a
// failure (or a kill) never leaves a half-written recording, nor -wal/-shm files, under its name.

import { readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Unit } from '../../schemas/format.js';
import { HeatError } from '../model/heat-error.js';
import type { Snapshot } from '../model/snapshot.js';
import { syscallName } from '../presets/syscall-names.js';
import { newRecordingMeta } from '../record/recording-meta.js';
import { RecordingWriter, removeRecordingFiles } from '../store/recording-writer.js';
import { checkWritableTarget } from '../store/write-errors.js';
import {
  parseTrace,
  type ImportFormat,
  type ParsedTrace,
  type SkippedLine,
} from './import-trace.js';

export interface ImportOptions {
  /** @default detected from the content */
  format?: ImportFormat;
  /** @default from aggregation names like @lat_us, else count */
  unit?: Unit;
  /** Wall clock of the first interval's start, Unix ms. @default printed times, else the file's time minus its length */
  startMs?: number;
  /** Map integer keys (raw_syscalls args->id) to syscall names. @default false */
  syscallNames?: boolean;
  /** Replace an existing output. @default false */
  force?: boolean;
  /** The command line kept in the recording. */
  commandLine: string[];
  /** Called after each interval written, with the number of intervals (for a progress line). */
  onSnapshot?: (done: number, total: number) => void;
}

export interface ImportSummary {
  format: ImportFormat;
  unit: Unit;
  intervals: number;
  /** Lines of the input not read; each second holding some has a health warning counting them. */
  skipped: SkippedLine[];
}

/** Imports a saved trace into a new recording at output. Throws HeatError on bad input or options. */
export function importTrace(
  tracePath: string,
  output: string,
  options: ImportOptions,
): ImportSummary {
  checkWritableTarget(output, options.force ?? false);
  removeAbandonedImports(output);
  const parsed = parseTrace(
    { name: tracePath, text: readInput(tracePath), savedMs: statSync(tracePath).mtimeMs },
    options.format,
    options.startMs,
  );
  const unit = options.unit ?? parsed.unitHint ?? 'count';
  const temp = join(dirname(output), `.${basename(output)}.import-${process.pid}`);
  try {
    writeRecording(temp, parsed, unit, tracePath, options);
    removeRecordingFiles(output); // a stale -wal beside the output would be applied to the new file
    renameSync(temp, output);
  } catch (err) {
    removeRecordingFiles(temp);
    throw nameTheFiles(err, tracePath, temp, output);
  }
  return {
    format: parsed.format,
    unit,
    intervals: parsed.snapshots.length,
    skipped: parsed.skipped,
  };
}

function readInput(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new HeatError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      'check the path',
    );
  }
}

function writeRecording(
  path: string,
  parsed: ParsedTrace,
  unit: Unit,
  tracePath: string,
  options: ImportOptions,
): void {
  const program = {
    preset: 'import',
    unit,
    text: `# imported from ${tracePath} (${parsed.format})\n`,
  };
  const meta = newRecordingMeta(
    program,
    { name: 'synthetic', version: '' },
    options.commandLine,
    parsed.snapshots[0]!.wallMs - 1000,
  );
  const writer = RecordingWriter.create(
    path,
    {
      ...meta,
      tracer: `import:${parsed.format}`,
      tracer_version: 'unknown',
      host: 'unknown',
      os: 'unknown',
      kernel: 'unknown',
      arch: 'unknown',
    },
    { force: true },
  );
  try {
    parsed.snapshots.forEach((s, i) => {
      writer.append(options.syscallNames ? withSyscallNames(s) : s);
      options.onSnapshot?.(i + 1, parsed.snapshots.length);
    });
    const endMs = parsed.snapshots[parsed.snapshots.length - 1]!.wallMs;
    writer.finish({
      end_ms: String(endMs),
      end_time: new Date(endMs).toISOString(),
      end_reason: 'imported',
      status: 'complete',
    });
  } catch (err) {
    writer.close();
    throw err;
  }
}

/** A write error names the output, not the hidden file; an error about the values names the input. */
function nameTheFiles(err: unknown, tracePath: string, temp: string, output: string): unknown {
  if (!(err instanceof HeatError)) return err;
  if (err.message.includes(temp))
    return new HeatError(
      err.message.replaceAll(temp, output),
      'no recording was written',
      err.exitCode,
    );
  return new HeatError(`${tracePath}: ${err.message}`, err.hint, err.exitCode);
}

function withSyscallNames(s: Snapshot): Snapshot {
  return {
    ...s,
    histograms: s.histograms.map((h) => ({
      ...h,
      key: [syscallName(h.key[0] ?? ''), ...h.key.slice(1)],
    })),
  };
}

/** Removes the hidden files of imports into the same output whose process is gone (killed). */
function removeAbandonedImports(output: string): void {
  const prefix = `.${basename(output)}.import-`;
  for (const name of readdirSync(dirname(output))) {
    const pid = name.startsWith(prefix) ? Number.parseInt(name.slice(prefix.length), 10) : NaN;
    if (Number.isInteger(pid) && !isAlive(pid))
      removeRecordingFiles(join(dirname(output), `${prefix}${pid}`));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
