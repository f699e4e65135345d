// The preset registry, in the order `heat-record presets` lists them.

import { HeatError } from '../model/heat-error.js';
import { blockIoLatency } from './block-io-latency.js';
import type { Preset } from './preset.js';
import { runqueueLatency } from './runqueue-latency.js';
import { syscallLatency } from './syscall-latency.js';

export const PRESETS: readonly Preset[] = [syscallLatency, blockIoLatency, runqueueLatency];

export const DEFAULT_PRESET = syscallLatency.name;

/** The preset with this name; a HeatError listing the choices otherwise. */
export function findPreset(name: string): Preset {
  const preset = PRESETS.find((p) => p.name === name);
  if (!preset)
    throw new HeatError(
      `unknown preset "${name}" (--preset)`,
      `choose one of: ${PRESETS.map((p) => p.name).join(', ')}`,
    );
  return preset;
}

/** Which of a preset's scripts a tracer runs: bpftrace, D for Linux DTrace, or D elsewhere. */
export type ScriptDialect = 'bpftrace' | 'd-linux' | 'd';

/** The D dialect for this platform: Oracle's Linux DTrace, or the DTrace of illumos/macOS/FreeBSD. */
export function dDialect(platform: NodeJS.Platform = process.platform): ScriptDialect {
  return platform === 'linux' ? 'd-linux' : 'd';
}

/** A preset's script in one dialect, with the key names that go with it (Linux keys are raw numbers). */
export function presetScript(
  preset: Preset,
  dialect: ScriptDialect,
): { text: string; mapKey?: (key: string[]) => string[] } {
  if (dialect === 'd') return { text: preset.dtrace };
  const text = dialect === 'bpftrace' ? preset.bpftrace : preset.dtraceLinux;
  return preset.linuxKeyNames ? { text, mapKey: preset.linuxKeyNames } : { text };
}
