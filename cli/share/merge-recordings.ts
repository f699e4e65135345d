// Merging recordings of several machines into one fleet recording: seconds aligned on wall-clock
// time, and the host made the first element of every key, so one viewer shows every machine
// and still breaks each down by host (the Cloud Analytics fleet view).

import { basename } from 'node:path';
import { MAX_MARK_CHARS, type NewMark } from '../../schemas/marks.js';
import { HeatError } from '../model/heat-error.js';
import type { Snapshot } from '../model/snapshot.js';
import type { RecordingReader } from '../store/recording-reader.js';
import { readSnapshots } from '../store/recording-snapshots.js';
import { RecordingWriter, removeRecordingFiles } from '../store/recording-writer.js';

interface Source {
  reader: RecordingReader;
  host: string;
  /** Added to the source's t to get the merged t. */
  offset: number;
  seconds: Iterator<Snapshot>;
  next: Snapshot | null;
}

export interface MergeOptions {
  output: string;
  force: boolean;
  commandLine: string[];
  /** Called after each merged second written: its t + 1 and the merged span in seconds (for a progress line). */
  onSecond?: (done: number, total: number) => void;
}

/** Writes the merged recording; returns the number of seconds and the host label of each source. */
export function mergeRecordings(
  readers: RecordingReader[],
  o: MergeOptions,
): { seconds: number; hosts: string[] } {
  checkUnits(readers);
  const starts = readers.map((r) => r.startMs);
  const start = Math.min(...starts);
  const hosts = hostLabels(readers);
  const offsets = starts.map((s) => Math.round((s - start) / 1000));
  const span = Math.max(...readers.map((r, i) => (r.lastSecond() ?? -1) + offsets[i]!)) + 1; // read before the rows are streamed
  const sources: Source[] = readers.map((reader, i) => {
    const seconds = readSnapshots(reader);
    return {
      reader,
      host: hosts[i]!,
      offset: offsets[i]!,
      seconds,
      next: seconds.next().value ?? null,
    };
  });
  const writer = RecordingWriter.create(
    o.output,
    mergedMeta(readers, hosts, start, o.commandLine),
    { force: o.force },
  );
  let count = 0;
  let lastWall = start;
  try {
    for (let s = nextSecond(sources); s; s = nextSecond(sources)) {
      writer.append(s);
      lastWall = s.wallMs;
      count++;
      o.onSecond?.(s.t + 1, span);
    }
  } catch (err) {
    writer.close();
    removeRecordingFiles(o.output);
    throw err;
  }
  writer.addMarks(hostMarks(readers, hosts));
  writer.finish({
    end_ms: String(lastWall),
    end_time: new Date(lastWall).toISOString(),
    end_reason: 'merged',
    status: 'complete',
  });
  return { seconds: count, hosts };
}

/** The earliest pending merged second, combining every source that has one at that t. */
function nextSecond(sources: Source[]): Snapshot | null {
  const pending = sources.filter((s) => s.next);
  if (pending.length === 0) return null;
  const t = Math.min(...pending.map((s) => s.next!.t + s.offset));
  const merged: Snapshot = {
    t,
    wallMs: 0,
    histograms: [],
    health: [],
    partial: false,
    tickNs: null,
  };
  for (const src of pending.filter((s) => s.next!.t + s.offset === t)) {
    const snap = src.next!;
    merged.wallMs = Math.max(merged.wallMs, snap.wallMs);
    merged.partial ||= snap.partial;
    merged.histograms.push(...snap.histograms.map((h) => ({ ...h, key: [src.host, ...h.key] })));
    if (snap.stacks)
      (merged.stacks ??= []).push(...snap.stacks.map((h) => ({ ...h, key: [src.host, ...h.key] })));
    merged.health.push(...snap.health.map((e) => ({ ...e, message: `${src.host}: ${e.message}` })));
    src.next = src.seconds.next().value ?? null;
  }
  return merged;
}

/** Every source's marks, the host put before the text (`web1: deploy v2`), cut to the length a mark may have. */
function hostMarks(readers: RecordingReader[], hosts: string[]): NewMark[] {
  return readers.flatMap((r, i) =>
    r.marks().map(({ id: _id, ...m }) => ({
      ...m,
      text: `${hosts[i]}: ${m.text}`.slice(0, MAX_MARK_CHARS),
    })),
  );
}

function checkUnits(readers: RecordingReader[]): void {
  const unit = readers[0]!.meta().unit;
  const other = readers.find((r) => r.meta().unit !== unit);
  if (other)
    throw new HeatError(
      `${other.path} records ${other.meta().unit} but ${readers[0]!.path} records ${unit}`,
      'merge recordings of the same unit (e.g. the same preset)',
    );
}

/** Each source's host name; a name used twice gets its file name added. */
function hostLabels(readers: RecordingReader[]): string[] {
  const names = readers.map((r) => r.meta().host || basename(r.path));
  return names.map((n, i) =>
    names.indexOf(n) !== names.lastIndexOf(n) ? `${n} (${basename(readers[i]!.path)})` : n,
  );
}

function mergedMeta(
  readers: RecordingReader[],
  hosts: string[],
  start: number,
  commandLine: string[],
) {
  const metas = readers.map((r) => r.meta());
  const unique = (pick: (m: (typeof metas)[number]) => string) =>
    [...new Set(metas.map(pick))].join(', ');
  return {
    tracer: unique((m) => m.tracer),
    tracer_version: unique((m) => m.tracer_version),
    host: hosts.join(', '),
    os: unique((m) => m.os),
    kernel: unique((m) => m.kernel),
    arch: unique((m) => m.arch),
    start_time: new Date(start).toISOString(),
    start_ms: String(start),
    end_time: '',
    end_ms: '',
    end_reason: '',
    command_line: JSON.stringify(commandLine),
    preset: unique((m) => m.preset),
    script: metas.map((m, i) => `# ${hosts[i]} (${readers[i]!.path})\n${m.script}`).join('\n'),
    unit: metas[0]!.unit,
    heat_record_version: metas[0]!.heat_record_version,
    status: 'recording',
    derived_from: JSON.stringify({
      command: commandLine,
      sources: readers.map((r, i) => ({ file: r.path, host: hosts[i] })),
    }),
    ...mergedStacks(metas),
  };
}

/**
 * meta.stacks of a merge: the sources' choice (the widest when they differ) and the highest
 * threshold, the value at or above which every source's events carry a stack.
 */
function mergedStacks(metas: { stacks?: string; stacks_above?: string }[]) {
  const kinds = new Set(metas.map((m) => m.stacks).filter((k) => k));
  if (kinds.size === 0) return {};
  const above = metas.map((m) => BigInt(/^\d+$/.test(m.stacks_above ?? '') ? m.stacks_above! : 0));
  return {
    stacks: kinds.size === 1 ? [...kinds][0]! : 'user+kernel',
    stacks_above: String(above.reduce((a, b) => (a > b ? a : b))),
  };
}
