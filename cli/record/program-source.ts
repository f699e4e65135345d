// Builds the Program a tracer runs from --preset, -e or -s, completed for recording.

import { readFileSync } from 'node:fs';
import type { Unit } from '../../schemas/format.js';
import { HeatError } from '../model/heat-error.js';
import { dDialect, findPreset, presetScript } from '../presets/presets.js';
import { completeBpftraceProgram } from '../tracers/bpftrace-program.js';
import { checkLinuxDtraceScript, completeDtraceProgram } from '../tracers/dtrace-program.js';
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
}

/** The program to run with this tracer. */
export function buildProgram(tracer: TracerName, choice: ProgramChoice): Program {
  if (tracer === 'synthetic') {
    return { preset: 'synthetic', unit: 'us', text: syntheticScript(choice.synthetic ?? {}) };
  }
  const custom = customScript(choice);
  if (custom)
    return {
      preset: 'custom',
      unit: choice.unit ?? 'us',
      text: complete(tracer, custom.text, custom.source),
      source: custom.source,
    };
  const preset = findPreset(choice.preset ?? 'syscall-latency');
  const script = presetScript(preset, tracer === 'bpftrace' ? 'bpftrace' : dDialect());
  const source = `--preset ${preset.name}`;
  const program: Program = {
    preset: preset.name,
    unit: preset.unit,
    text: complete(tracer, script.text, source),
    source,
  };
  if (script.mapKey) program.mapKey = script.mapKey;
  return program;
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

function complete(tracer: TracerName, script: string, source: string): string {
  if (tracer === 'bpftrace') return completeBpftraceProgram(script, source);
  if (dDialect() === 'd-linux') checkLinuxDtraceScript(script, source);
  if (tracer === 'dtrace') return completeDtraceProgram(script).text;
  return script; // libdtrace: the adapter walks the aggregations itself every second
}
