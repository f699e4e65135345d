// Builds the Program a tracer runs from --preset, -e or -s, completed for recording.

import { readFileSync } from 'node:fs';
import { NS_PER_UNIT, type StacksChoice, type Unit } from '../../schemas/format.js';
import { HeatError } from '../model/heat-error.js';
import { dDialect, findPreset, presetScript } from '../presets/presets.js';
import { completeBpftraceProgram } from '../tracers/bpftrace-program.js';
import type { StackOptions } from '../tracers/bpftrace-stack-maps.js';
import {
  checkLinuxDtraceScript,
  completeDtraceProgram,
  linuxDtraceWarnings,
} from '../tracers/dtrace-program.js';
import { syntheticScript, type SyntheticOptions } from '../tracers/synthetic.js';
import type { Program, TracerName } from '../tracers/tracer.js';

export interface ProgramChoice {
  preset?: string;
  /** -e 'program' */
  expression?: string;
  /** -s file */
  scriptFile?: string;
  unit?: Unit;
  synthetic?: SyntheticOptions;
  /**
   * --stacks: which stacks (none named: the preset's choice, "user" for a custom script) and
   * --stacks-above, in the script's value unit (0: every event).
   */
  stacks?: { which?: StacksChoice; above: Quantity };
}

/** A value and its unit (null: already in the script's unit). */
export interface Quantity {
  value: number;
  unit: Unit | null;
}

/** The program to run with this tracer. */
export function buildProgram(tracer: TracerName, choice: ProgramChoice): Program {
  if (tracer === 'synthetic') {
    return { preset: 'synthetic', unit: 'us', text: syntheticScript(choice.synthetic ?? {}) };
  }
  const custom = customScript(choice);
  if (custom) {
    const stacks = stackOptions(tracer, choice, 'user', choice.unit ?? 'us');
    const warnings = runsLinuxD(tracer) ? linuxDtraceWarnings(custom.text, custom.source) : [];
    return {
      preset: 'custom',
      unit: choice.unit ?? 'us',
      text: complete(tracer, custom.text, custom.source, stacks),
      source: custom.source,
      ...(stacks && { stacks }),
      ...(warnings.length > 0 && { warnings }),
    };
  }
  const preset = findPreset(choice.preset ?? 'syscall-latency');
  const script = presetScript(preset, tracer === 'bpftrace' ? 'bpftrace' : dDialect());
  const source = `--preset ${preset.name}`;
  const stacks = stackOptions(tracer, choice, preset.stacks ?? 'user', preset.unit);
  const program: Program = {
    preset: preset.name,
    unit: preset.unit,
    text: complete(tracer, script.text, source, stacks),
    source,
  };
  if (script.mapKey) program.mapKey = script.mapKey;
  if (stacks) program.stacks = stacks;
  return program;
}

/**
 * --stacks as the tracer takes it; refused in one line for libdtrace, which would name user frames
 * by grabbing every traced process with ptrace inside heat-record itself.
 */
function stackOptions(
  tracer: TracerName,
  choice: ProgramChoice,
  fallback: StacksChoice,
  unit: Unit,
): StackOptions | null {
  if (!choice.stacks) return null;
  if (tracer === 'libdtrace')
    throw new HeatError(
      '--stacks is not available with --tracer libdtrace',
      'record stacks with --tracer dtrace (the same DTrace, through dtrace(1)) or --tracer bpftrace',
    );
  return {
    which: choice.stacks.which ?? fallback,
    above: thresholdIn(choice.stacks.above, unit),
  };
}

/** --stacks-above in the script's unit, rounded up (values are whole: v >= 1.5 is v >= 2). */
function thresholdIn(q: Quantity, unit: Unit): bigint {
  if (q.unit === null || q.unit === unit) return BigInt(Math.ceil(q.value));
  const from = NS_PER_UNIT[q.unit]!;
  const to = NS_PER_UNIT[unit];
  if (to === null)
    throw new HeatError(
      `--stacks-above ${q.value}${q.unit} is a time, but the script's values are counts`,
      'give a plain number, e.g. --stacks-above 100',
    );
  return BigInt(Math.ceil((q.value * from) / to - 1e-9));
}

function customScript(choice: ProgramChoice): { text: string; source: string } | null {
  if (choice.expression !== undefined) return { text: choice.expression, source: '-e' };
  if (choice.scriptFile === undefined) return null;
  try {
    return { text: readFileSync(choice.scriptFile, 'utf8'), source: `-s ${choice.scriptFile}` };
  } catch (err) {
    throw new HeatError(
      `cannot read script file ${choice.scriptFile} (-s): ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      'check the path',
    );
  }
}

function complete(
  tracer: TracerName,
  script: string,
  source: string,
  stacks: StackOptions | null,
): string {
  if (tracer === 'bpftrace') return completeBpftraceProgram(script, source, stacks);
  if (runsLinuxD(tracer)) checkLinuxDtraceScript(script, source);
  if (tracer === 'dtrace') return completeDtraceProgram(script, stacks).text;
  return script; // libdtrace: the adapter walks the aggregations itself every second
}

/** Whether this tracer runs the script as D on Oracle's Linux DTrace 2.0 (dtrace(1) or libdtrace). */
function runsLinuxD(tracer: TracerName): boolean {
  return tracer !== 'bpftrace' && tracer !== 'synthetic' && dDialect() === 'd-linux';
}
