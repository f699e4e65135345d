// urlByteSource against a host played by a stubbed fetch: what a 206 says (its size from
// Content-Range, its version from ETag or Last-Modified) and what happens when the file on the
// host is replaced between two parts.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { urlByteSource } from '../../../viewer/src/load/read-source.js';
import type { ByteSource } from '../../../viewer/src/load/paged-file.js';

interface Host {
  bytes: Uint8Array;
  headers: Record<string, string>;
  /** If-Range headers received, in order. */
  ifRange: (string | null)[];
}

/** A static host answering single byte ranges; an If-Range naming another version gets the whole file (200). */
function stubHost(host: Host): void {
  vi.stubGlobal('fetch', async (_url: string, init: { headers: Record<string, string> }) => {
    const range = /bytes=(\d+)-(\d+)/.exec(init.headers.Range ?? '');
    const ifRange = init.headers['If-Range'] ?? null;
    host.ifRange.push(ifRange);
    const current = [host.headers.ETag, host.headers['Last-Modified']];
    if (!range || (ifRange !== null && !current.includes(ifRange)))
      return new Response(host.bytes.slice(), { status: 200, headers: host.headers });
    const [start, end] = [Number(range[1]), Math.min(Number(range[2]), host.bytes.length - 1)];
    const headers = {
      ...host.headers,
      'Content-Range': `bytes ${start}-${end}/${host.bytes.length}`,
    };
    return new Response(host.bytes.slice(start, end + 1), { status: 206, headers });
  });
}

const file = (n: number, fill: number) => new Uint8Array(n).fill(fill);

async function open(host: Host): Promise<{ source: ByteSource; first: Uint8Array }> {
  stubHost(host);
  const probe = await urlByteSource('http://host/day.db', 'day.db', 1024);
  if ('whole' in probe) throw new Error('read whole');
  return probe;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('urlByteSource on a static host', () => {
  it('without a validator: the size from Content-Range, parts read, a note saying what is not checked', async () => {
    const host: Host = { bytes: file(5000, 7), headers: {}, ifRange: [] };
    const { source, first } = await open(host);
    expect(source.size).toBe(5000);
    expect(first.length).toBe(1024);
    expect([...(await source.read(4000, 1000))].every((b) => b === 7)).toBe(true);
    expect(source.note).toMatch(/neither ETag nor Last-Modified/);
    expect(host.ifRange).toEqual([null, null]);
  });

  it('without a validator, a file whose size changed is reported, not mixed in', async () => {
    const host: Host = { bytes: file(5000, 7), headers: {}, ifRange: [] };
    const { source } = await open(host);
    host.bytes = file(6000, 9);
    await expect(source.read(2048, 1024)).rejects.toThrow(/changed on the server/);
  });

  it('a strong ETag is sent back as If-Range; a replaced file is reported', async () => {
    const host: Host = { bytes: file(5000, 7), headers: { ETag: '"v1"' }, ifRange: [] };
    const { source } = await open(host);
    expect(source.note).toBeUndefined();
    await source.read(1024, 1024);
    host.headers = { ETag: '"v2"' };
    await expect(source.read(2048, 1024)).rejects.toThrow(/changed on the server/);
    expect(host.ifRange).toEqual([null, '"v1"', '"v1"']);
  });

  it('a weak ETag is compared, and Last-Modified sent as If-Range (a weak ETag never matches one)', async () => {
    const modified = 'Tue, 01 Dec 2026 10:00:00 GMT';
    const host: Host = {
      bytes: file(5000, 7),
      headers: { ETag: 'W/"v1"', 'Last-Modified': modified },
      ifRange: [],
    };
    const { source } = await open(host);
    await source.read(1024, 1024);
    expect(host.ifRange).toEqual([null, modified]);
    host.headers = { ETag: 'W/"v2"', 'Last-Modified': modified }; // same second, another version
    await expect(source.read(2048, 1024)).rejects.toThrow(/changed on the server/);
  });

  it('a 206 without Content-Range says so instead of reading the part as the whole file', async () => {
    vi.stubGlobal('fetch', async () => new Response(file(1024, 1), { status: 206 }));
    await expect(urlByteSource('http://host/day.db', 'day.db', 1024)).rejects.toThrow(
      /without a Content-Range/,
    );
  });
});
