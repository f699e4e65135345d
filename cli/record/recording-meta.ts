// The metadata written when a recording is created: what ran, where, and by which versions.

import { readFileSync } from 'node:fs';
import { arch, hostname, platform, release } from 'node:os';
import type { RecordingMeta } from '../../schemas/format.js';
import { packageVersion } from '../package-root.js';
import type { Program, TracerInfo } from '../tracers/tracer.js';

/** Metadata for a new recording; start and end are filled in as the run goes. */
export function newRecordingMeta(
  program: Program,
  tracer: TracerInfo,
  commandLine: string[],
  startMs = Date.now(),
): Omit<RecordingMeta, 'format_version'> {
  return {
    tracer: tracer.name,
    tracer_version: tracer.version,
    host: hostname(),
    os: describeOs(),
    kernel: release(),
    arch: arch(),
    start_time: new Date(startMs).toISOString(),
    start_ms: String(startMs),
    end_time: '',
    end_ms: '',
    end_reason: '',
    command_line: JSON.stringify(commandLine),
    preset: program.preset,
    script: program.text,
    unit: program.unit,
    heat_record_version: packageVersion(),
    status: 'recording',
    ...(program.stacks && {
      stacks: program.stacks.which,
      stacks_above: String(program.stacks.above),
    }),
  };
}

/** "linux (Debian GNU/Linux 12 (bookworm))", or just the platform where there is no os-release. */
function describeOs(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text)?.[1];
    return pretty ? `${platform()} (${pretty})` : platform();
  } catch {
    return platform();
  }
}
