// --allow-host NAME (repeatable): a host name the server answers besides loopback and the address
// it is bound to, e.g. the name a reverse proxy or a colleague's browser uses for this machine.

import { isIP } from 'node:net';
import { HeatError } from '../model/heat-error.js';

/** commander's collector: checks one name (no port) and adds it, lowercased, to those given before. */
export function collectAllowedHost(value: string, previous: string[]): string[] {
  const name = value
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  if (isIP(name) === 0 && !/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/.test(name)) {
    throw new HeatError(
      `--allow-host "${value}" is not a host name`,
      'give a name or an address without a port, e.g. --allow-host viewer.example.org',
    );
  }
  return [...previous, name];
}
