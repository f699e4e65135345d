// Against DNS rebinding: a page at http://attacker.example:18312/ whose name is made to resolve to
// 127.0.0.1 is same-origin with this server as far as the browser knows, and could read the
// recording. Its requests still carry "Host: attacker.example:18312", so only Hosts that name this
// server are answered: loopback names and addresses, the address it was bound to, the names the
// user allowed (--allow-host) and, bound to every interface, any IP literal (an address cannot be
// rebound) and this machine's name. A cross-site Origin is refused too.

import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { hostname } from 'node:os';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** True for 127.0.0.0/8, ::1 and localhost: the only binds allowed without a token. */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (name === 'localhost') return true;
  const family = isIP(name);
  return family !== 0 && LOOPBACK.check(name, family === 4 ? 'ipv4' : 'ipv6');
}

/** True for the wildcard addresses that bind every interface. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

export class HostGuard {
  private readonly names: Set<string>;
  private readonly everyInterface: boolean;

  /**
   * @param boundHost the address the server listens on, as given (e.g. "127.0.0.1", "::1")
   * @param allowed further names to answer to (--allow-host)
   */
  constructor(boundHost: string, allowed: readonly string[] = []) {
    this.everyInterface = isWildcardHost(boundHost);
    const names = [boundHost, ...allowed, ...(this.everyInterface ? [hostname()] : [])];
    this.names = new Set(names.map((n) => n.replace(/^\[(.*)\]$/, '$1').toLowerCase()));
  }

  /** Why the request must not be answered, or null when it may be. */
  refusal(req: IncomingMessage): string | null {
    const host = req.headers.host;
    if (host === undefined) return 'a Host header is required';
    const name = hostName(host);
    if (name === null || !this.answersTo(name))
      return `Host "${host}" does not name this server (start it with --allow-host NAME to answer to a name)`;
    const origin = req.headers.origin;
    if (origin !== undefined && !sameOrigin(origin, host))
      return `a request from the page at ${origin} is cross-site`;
    return null;
  }

  private answersTo(name: string): boolean {
    return (
      isLoopbackHost(name) || this.names.has(name) || (this.everyInterface && isIP(name) !== 0)
    );
  }
}

/** "Example.org:80" -> "example.org", "[::1]:8080" -> "::1"; null when it is not a host[:port]. */
export function hostName(host: string): string | null {
  if (!/^[A-Za-z0-9.\-:[\]]+$/.test(host)) return null; // no userinfo, path or unicode to misread
  try {
    return new URL(`http://${host}`).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return null;
  }
}

/** The page that sent the request is this server's own (same scheme, host and port). */
function sameOrigin(origin: string, host: string): boolean {
  try {
    const from = new URL(origin);
    return from.protocol === 'http:' && from.host === new URL(`http://${host}`).host;
  } catch {
    return false; // "null" (sandboxed frames, file: pages) or garbage
  }
}
