// Keeps the URL hash in step with the view (so a copied link reopens it) and the view in step
// with a hash edited by hand. Writes are debounced: browsers limit how often history may change.

import { decodeViewHash } from '../model/view-hash.js';
import type { ViewerState } from './viewer-state.svelte.js';

const WRITE_DELAY_MS = 120;

/** Call once from a component's setup. */
export function syncHashWithView(viewer: ViewerState): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  $effect(() => {
    if (!viewer.recording) return;
    const hash = viewer.toHash();
    clearTimeout(timer);
    timer = setTimeout(() => writeHash(hash), WRITE_DELAY_MS);
  });
  $effect(() => {
    const onHashChange = () => viewer.applySettings(decodeViewHash(location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  });
}

function writeHash(hash: string): void {
  if (location.hash.replace(/^#/, '') === hash) return;
  history.replaceState(
    history.state,
    '',
    `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`,
  );
}
