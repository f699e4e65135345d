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
  if (!preset) throw new HeatError(`unknown preset "${name}" (--preset)`, `choose one of: ${PRESETS.map((p) => p.name).join(', ')}`);
  return preset;
}
