// Ambient types for the viewer: Svelte components as modules, and the runes ($state, $derived,
// $effect ...) that *.svelte.ts files use.

/// <reference types="svelte" />
/// <reference types="vite/client" />

declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<Record<string, any>, Record<string, any>>;
  export default component;
}
