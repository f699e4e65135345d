// The synthetic tracer: realistic, seeded latency histograms with no kernel and no root, at real
// pace (one second per second) or as fast as the store takes them (--fast), for demos, tests
// and benchmarks.

import type { Histogram, Snapshot } from '../model/snapshot.js';
import { keyHistogram, keyProfiles, seededRandom, type KeyProfile } from './synthetic-model.js';
import type { Program, StartOptions, Tracer, TracerExit, TracerInfo, TracerRun } from './tracer.js';

export interface SyntheticOptions {
  /** PRNG seed. @default 1 */
  seed?: number;
  /** Number of keys (series). @default 8 */
  keys?: number;
  /** Generate seconds as fast as they are consumed instead of one per wall second. @default false */
  fast?: boolean;
  /** Chance per key per second of a latency spike. @default 0.002 */
  spikeRate?: number;
  /** Wall-clock ms of second 0. @default now */
  startMs?: number;
}

const INFO: TracerInfo = { name: 'synthetic', version: 'synthetic-1' };

/** Describes the generator in the recording's script field, so a recording says how it was made. */
export function syntheticScript(o: SyntheticOptions): string {
  return `# synthetic latency generator (heat-record --tracer synthetic)\nseed=${o.seed ?? 1} keys=${o.keys ?? 8} spike_rate=${o.spikeRate ?? 0.002}\n`;
}

export class SyntheticGenerator {
  private readonly random: () => number;
  private readonly profiles: KeyProfile[];

  constructor(private readonly options: SyntheticOptions = {}) {
    this.random = seededRandom(options.seed ?? 1);
    this.profiles = keyProfiles(options.keys ?? 8, this.random);
  }

  /** The histograms of second t (call with t = 0, 1, 2, ... in order for reproducible output). */
  second(t: number, fraction = 1): Histogram[] {
    const spikeRate = this.options.spikeRate ?? 0.002;
    return this.profiles.map((p) => {
      const scaled = fraction < 1 ? { ...p, rate: p.rate * fraction } : p;
      return keyHistogram(scaled, t, this.random() < spikeRate, this.random);
    });
  }
}

export class SyntheticTracer implements Tracer {
  readonly name = 'synthetic' as const;

  constructor(private readonly options: SyntheticOptions = {}) {}

  async preflight(): Promise<TracerInfo> {
    return INFO;
  }

  async start(_program: Program, startOptions: StartOptions = {}): Promise<TracerRun> {
    const startMs = this.options.startMs ?? Date.now();
    startOptions.onAttached?.(startMs);
    let stopped = false;
    let wake: (() => void) | null = null;
    const generator = new SyntheticGenerator(this.options);
    const fast = this.options.fast ?? false;
    const exited: Promise<TracerExit> = Promise.resolve({ ok: true, message: '' });

    async function* snapshots(): AsyncGenerator<Snapshot> {
      for (let t = 0; ; t++) {
        const dueMs = startMs + (t + 1) * 1000;
        if (fast) {
          if (t % 64 === 0) await new Promise((r) => setImmediate(r)); // let signals and I/O in
        } else {
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, Math.max(0, dueMs - Date.now()));
          });
        }
        if (stopped) {
          if (!fast) yield partialSecond(generator, t, startMs);
          return;
        }
        yield {
          t,
          wallMs: fast ? dueMs : Date.now(),
          histograms: generator.second(t),
          health: [],
          partial: false,
        };
      }
    }

    return {
      info: INFO,
      snapshots: snapshots(),
      stop() {
        stopped = true;
        wake?.();
      },
      exited,
    };
  }
}

/** The cut-short second at stop: counts scaled to the part of the second that elapsed. */
function partialSecond(generator: SyntheticGenerator, t: number, startMs: number): Snapshot {
  const now = Date.now();
  const fraction = Math.min(1, Math.max(0, (now - (startMs + t * 1000)) / 1000));
  return { t, wallMs: now, histograms: generator.second(t, fraction), health: [], partial: true };
}
