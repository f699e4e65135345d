// Off loopback, every request needs the token: in the URL once (?token=, which the page then
// takes out of its address bar), then as a cookie the server sets, or as
// "Authorization: Bearer <token>" for scripts and Prometheus.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeatError } from '../model/heat-error.js';

/**
 * Shorter tokens are refused. 12 characters of even lowercase letters and digits are 62 bits: at
 * 20,000 guesses a second (more than this server answers), millions of years.
 */
export const MIN_TOKEN_LENGTH = 12;

/** 18 random bytes: 24 base64url characters. */
export function generateToken(): string {
  return randomBytes(18).toString('base64url');
}

/** Refuses a token a person could guess or a client could try in bulk. */
export function checkTokenStrength(token: string, flag: string): void {
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new HeatError(
      `${flag} is too short to be secret (${token.length} characters; at least ${MIN_TOKEN_LENGTH})`,
      `leave ${flag} out for a generated one`,
    );
  }
}

/**
 * The cookie's name carries the port: cookies are shared by every port of a host, so two servers
 * on 127.0.0.1 would otherwise overwrite each other's.
 */
export function tokenCookieName(port: number): string {
  return `heat_token_${port}`;
}

/** The token a request carries, from ?token=, the Authorization header or the cookie. */
export function requestToken(req: IncomingMessage, url: URL, cookieName: string): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const m = new RegExp(`(?:^|;\\s*)${cookieName}=([^;]+)`).exec(req.headers.cookie ?? '');
  return m ? decodeCookieValue(m[1]!) : null;
}

/** Percent-decoded, or null for a malformed value ("%"): a wrong token, never an exception. */
function decodeCookieValue(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

export function tokensMatch(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Remembers a valid ?token= as a cookie so the page's own requests carry it. */
export function rememberToken(res: ServerResponse, token: string, cookieName: string): void {
  res.setHeader(
    'Set-Cookie',
    `${cookieName}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
  );
}
