// Entry: starts loading the SQLite engine at once and primes it on a tiny recording (both
// happen while a file is chosen or fetched), then mounts the app.

import { mount } from 'svelte';
import './ui/app.css';
import App from './ui/App.svelte';
import { warmUp } from './state/warm-up.js';
import { sqlEngine } from './load/sql-engine.js';

// A failure here is reported when a file is opened, with the file's name.
void sqlEngine().then(warmUp).catch((e: unknown) => console.warn('warm-up failed', e));

mount(App, { target: document.getElementById('app')! });
