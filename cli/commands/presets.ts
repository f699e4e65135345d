// heat-record presets: what can be measured, one line each.

import type { Command } from 'commander';
import { unitLabel } from '../../schemas/format.js';
import { DEFAULT_PRESET, findPreset, PRESETS } from '../presets/presets.js';

export function registerPresets(program: Command): void {
  program
    .command('presets')
    .description('list the presets with one-line descriptions')
    .option('--show <name>', 'print the bpftrace and D scripts of one preset')
    .action((flags: { show?: string }) => {
      if (flags.show) return showPreset(flags.show);
      const width = Math.max(...PRESETS.map((p) => p.name.length));
      for (const p of PRESETS) {
        const mark = p.name === DEFAULT_PRESET ? ' (default)' : '';
        process.stdout.write(`${p.name.padEnd(width)}  ${p.description}${mark}\n`);
      }
    });
}

function showPreset(name: string): void {
  const p = findPreset(name);
  process.stdout.write(
    `# ${p.name}: ${p.description}; unit ${unitLabel(p.unit)}\n\n## bpftrace\n${p.bpftrace}\n## D (Oracle Linux DTrace 2.0)\n${p.dtraceLinux}\n## D (illumos, macOS, FreeBSD)\n${p.dtrace}`,
  );
}
