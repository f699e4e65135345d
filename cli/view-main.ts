// heat-view's entry: one command, the same one-line error funnel as heat-record.

import { Command } from 'commander';
import { registerView } from './commands/view.js';
import { runCommand } from './main.js';
import { packageVersion } from './package-root.js';

export async function viewMain(argv: string[]): Promise<void> {
  const program = new Command('heat-view')
    .description(
      'Open a Heat Tracer recording in the browser: serves the viewer and the file on loopback.',
    )
    .version(packageVersion())
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerView(program);
  await runCommand(program, argv);
}
