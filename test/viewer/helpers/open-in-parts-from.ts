// Sets, before a page's script runs, the size from which the viewer opens recordings in parts:
// the hooks object (window.__heatViewer) is caught as the page installs it. Imports nothing of
// the viewer, so the benches (compiled with the CLI) can use it too.

import type { Page } from 'playwright-core';

/**
 * Recordings of at least `bytes` are opened in parts (0: every one; Infinity: none). The script
 * is text, not a function: tsx (the benches) wraps functions in a helper the page does not have.
 */
export async function openInPartsFrom(page: Page, bytes: number): Promise<void> {
  await page.addInitScript(`(() => {
    let hooks;
    Object.defineProperty(window, '__heatViewer', {
      configurable: true,
      get: () => hooks,
      set: (h) => {
        hooks = h;
        h.openInPartsFrom(${Number.isFinite(bytes) ? bytes : 'Infinity'});
      },
    });
  })()`);
}
