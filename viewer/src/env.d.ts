// Ambient types for the viewer: Svelte components as modules, and the runes ($state, $derived,
// $effect ...) that *.svelte.ts files use.

// Runes are ambient declarations of the svelte package: only a reference brings them in.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference types="svelte" />
/// <reference types="vite/client" />

declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<Record<string, unknown>, Record<string, unknown>>;
  export default component;
}
