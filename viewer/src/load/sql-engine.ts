// The one place that loads SQLite-in-WASM (sql.js). The WASM comes from the file built beside
// the viewer by default; a page can name another source in <meta name="heat-sql-wasm"
// content="..."> (a URL, or a base64 data: URL when the viewer is a single HTML file: fetching a
// data: URL would break the page's connect-src 'self' policy, so it is decoded here; the
// single-file build's own is data:application/gzip, gunzipped here); code can pass bytes.
// Loading starts once and is shared by every recording opened afterwards.

import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';
import defaultWasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';

export type SqlEngine = SqlJsStatic;

/** Where the WASM comes from: a URL to fetch, a data: URL, or the bytes themselves. */
export type WasmSource = { url: string } | { bytes: Uint8Array };

let engine: Promise<SqlEngine> | null = null;

/** The shared engine; the first call decides where the WASM comes from. */
export function sqlEngine(source?: WasmSource): Promise<SqlEngine> {
  engine ??= loadEngine(source ?? pageWasmSource()).catch((err: unknown) => {
    engine = null; // let a later attempt try again (e.g. after a network hiccup)
    throw err;
  });
  return engine;
}

/** The page's <meta name="heat-sql-wasm"> if it has one, else the WASM file built beside the viewer. */
function pageWasmSource(): WasmSource {
  const meta =
    typeof document === 'undefined'
      ? null
      : document.querySelector<HTMLMetaElement>('meta[name="heat-sql-wasm"]');
  return { url: meta?.content || defaultWasmUrl };
}

async function loadEngine(source: WasmSource): Promise<SqlEngine> {
  if ('url' in source && !source.url.startsWith('data:')) {
    // Compiled while it downloads (instantiateStreaming), with an ArrayBuffer fallback inside sql.js.
    return initSqlJs({ locateFile: () => source.url });
  }
  const bytes =
    'bytes' in source ? source.bytes : await gunzipIfGzip(source.url, decodeDataUrl(source.url));
  // A copy that owns its buffer exactly: emscripten wants an ArrayBuffer of the module alone.
  return initSqlJs({ wasmBinary: bytes.slice().buffer });
}

async function gunzipIfGzip(url: string, bytes: Uint8Array): Promise<Uint8Array> {
  if (!url.startsWith('data:application/gzip;')) return bytes;
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** "data:application/wasm;base64,AGFzbQ..." -> bytes. */
export function decodeDataUrl(url: string): Uint8Array {
  const comma = url.indexOf(',');
  if (comma < 0 || !url.slice(0, comma).endsWith(';base64'))
    throw new Error('the SQLite engine data URL is not base64');
  const text = atob(url.slice(comma + 1));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
