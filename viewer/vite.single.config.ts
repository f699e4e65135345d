// The second build of the viewer: one self-contained HTML file (code, styles and the sql.js WASM
// inlined, no other file) written beside the normal build as dist/viewer/heat-viewer.html. It is
// the page `heat-record export --html` and the viewer's "export this window" fill with a
// recording; opened from file:// it needs no server and no network.

import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: 'viewer',
  base: './',
  plugins: [svelte(), viteSingleFile({ removeViteModuleLoader: true, outputFileName: 'heat-viewer.html' })],
  build: {
    outDir: here('../dist/viewer'),
    // Runs after the normal build into the same folder: keep its files.
    emptyOutDir: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
});
