// Recording is heat-record's default command, so commander hands any unknown first word to it
// ("heat-record inf run.db" → "too many arguments for 'record'"). This names the word as an
// unknown command and suggests the nearest one, as commander does for options.

import type { Command } from 'commander';
import { closestMatch } from 'leven';
import { HeatError } from '../model/heat-error.js';
import { shellWord } from '../model/shell-word.js';

/** A bare first word that is no command: the default command takes options only. */
export function checkCommandWord(program: Command, userArgs: readonly string[]): void {
  const word = userArgs[0];
  if (word === undefined || word.startsWith('-')) return;
  const names = program.commands
    .flatMap((c) => [c.name(), ...c.aliases()])
    .filter((name) => name !== '*');
  if (names.includes(word) || word === 'help') return;
  const meant = closestMatch(word, names, { maxDistance: 2 });
  throw new HeatError(
    `unknown command "${word}"`,
    meant
      ? `did you mean: heat-record ${meant} ${userArgs.slice(1).map(shellWord).join(' ')}`.trimEnd()
      : `commands: ${names.join(', ')}; recording takes options only (heat-record -o run.db ...)`,
  );
}
