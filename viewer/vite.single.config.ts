// The second build of the viewer: one self-contained HTML file (code, styles and the sql.js WASM
// inlined, no other file) written beside the normal build as dist/viewer/heat-viewer.html. It is
// the page `heat-record export --html` and the viewer's "export this window" fill with a
// recording; opened from file:// it needs no server and no network.

import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const WASM = 'sql.js/dist/sql-wasm-browser.wasm?url';

/**
 * The sql.js WASM as a gzipped base64 data: URL (sql-engine.ts gunzips it with
 * DecompressionStream): 0.45 MB in the page instead of 0.92 MB of plain base64.
 */
function gzippedWasm(): Plugin {
  const id = '\0heat-sql-wasm-gz';
  return {
    name: 'heat-gzipped-sql-wasm',
    enforce: 'pre',
    resolveId: (source) => (source === WASM ? id : null),
    load(loading) {
      if (loading !== id) return null;
      const wasm = readFileSync(
        fileURLToPath(import.meta.resolve('sql.js/dist/sql-wasm-browser.wasm')),
      );
      return `export default ${JSON.stringify(`data:application/gzip;base64,${gzipSync(wasm, { level: 9 }).toString('base64')}`)};`;
    },
  };
}

export default defineConfig({
  root: 'viewer',
  base: './',
  plugins: [
    gzippedWasm(),
    svelte(),
    viteSingleFile({ removeViteModuleLoader: true, outputFileName: 'heat-viewer.html' }),
  ],
  build: {
    outDir: here('../dist/viewer'),
    // Runs after the normal build into the same folder: keep its files.
    emptyOutDir: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
});
