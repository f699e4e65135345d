// "host:port", "[::1]:8080", ":8080" or "8080" -> { host, port }, for --serve and heat-view.

import { HeatError } from '../model/heat-error.js';

export const DEFAULT_HOST = '127.0.0.1';

export function parseListenAddress(value: string, flag: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*))?:?(\d*)$/.exec(value.trim());
  const host = m?.[1] ?? m?.[2] ?? '';
  const portText = m?.[3] ?? '';
  const onlyPort = m !== null && /^\d+$/.test(value.trim());
  const port = Number(onlyPort ? value.trim() : portText || '0');
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new HeatError(`${flag} "${value}" is not an address`, 'use host:port, e.g. 127.0.0.1:8080, or a port alone');
  }
  return { host: onlyPort || host === '' ? DEFAULT_HOST : host, port };
}
