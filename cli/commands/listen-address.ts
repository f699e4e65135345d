// Where to listen, as users type it: "host:port", "[::1]:8080", "::1", "[::1]", ":8080" or "8080"
// for --serve; a host alone ("::1", "[::1]", "127.0.0.1", "localhost") and a port for heat-view.
// An IPv6 address with a port needs brackets: "::1:8080" is itself an address.

import { isIP } from 'node:net';
import { HeatError } from '../model/heat-error.js';

export const DEFAULT_HOST = '127.0.0.1';

const ADDRESS_HINT = 'use host:port, e.g. 127.0.0.1:8080 or [::1]:8080, or a port alone';

/** --serve's value -> { host, port }; a missing host is 127.0.0.1, a missing port 0 (any free one). */
export function parseListenAddress(value: string, flag: string): { host: string; port: number } {
  const text = value.trim();
  if (isIP(text) === 6) return { host: text, port: 0 };
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*))(?::(\d*))?$/.exec(text);
  if (!m) throw new HeatError(`${flag} "${value}" is not an address`, ADDRESS_HINT);
  const onlyPort = m[2] !== undefined && /^\d+$/.test(m[2]) && m[3] === undefined;
  const host = onlyPort ? '' : (m[1] ?? m[2] ?? '');
  return {
    host: host === '' ? DEFAULT_HOST : checkHost(host, value, flag, ADDRESS_HINT),
    port: parsePort(onlyPort ? m[2]! : m[3] || '0', flag, value),
  };
}

/** heat-view --host: a name or an address, IPv6 with or without brackets. */
export function parseListenHost(value: string, flag: string): string {
  const host = value.trim().replace(/^\[(.*)\]$/, '$1');
  return checkHost(
    host,
    value,
    flag,
    'an address or a name, e.g. 127.0.0.1, ::1 or localhost; the port goes in --port',
  );
}

/** @param given the whole value the user typed, for the message @default value */
export function parsePort(value: string, flag: string, given = value): number {
  const port = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isInteger(port) || port > 65535)
    throw new HeatError(`${flag} "${given}" has no port in 0-65535`, '0 picks any free port');
  return port;
}

/** An IP address or a host name; a port or anything else inside is refused. */
function checkHost(host: string, value: string, flag: string, hint: string): string {
  if (isIP(host) !== 0 || /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) return host;
  throw new HeatError(`${flag} "${value}" is not an address`, hint);
}
