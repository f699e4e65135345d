// Builds the viewer to plain static files with relative paths (dist/viewer at the repo root), so
// it works from any static host, from a file:// folder served by heat-view, and behind a strict CSP.

import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: 'viewer',
  base: './',
  plugins: [svelte()],
  build: {
    outDir: here('../dist/viewer'),
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be the only thing needing an inline script; every supported browser has modulepreload.
    modulePreload: { polyfill: false },
    // Keep the sql.js WASM a separate file: it is fetched once and compiled while the recording loads.
    assetsInlineLimit: 0,
  },
  server: { fs: { allow: [here('..')] } },
});
