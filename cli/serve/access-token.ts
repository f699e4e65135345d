// Off loopback, every request needs the token: in the URL once (?token=), then as a cookie
// the server sets, or as "Authorization: Bearer <token>" for scripts and Prometheus.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const TOKEN_COOKIE = 'heat_token';

export function generateToken(): string {
  return randomBytes(18).toString('base64url');
}

/** True for 127.0.0.0/8, ::1 and localhost: the only binds allowed without a token. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The token a request carries, from ?token=, the cookie, or the Authorization header. */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const cookie = req.headers.cookie ?? '';
  const m = new RegExp(`(?:^|;\\s*)${TOKEN_COOKIE}=([^;]+)`).exec(cookie);
  return m ? decodeURIComponent(m[1]!) : null;
}

export function tokensMatch(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Remembers a valid ?token= as a cookie so the page's own requests carry it. */
export function rememberToken(res: ServerResponse, token: string): void {
  res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
}
