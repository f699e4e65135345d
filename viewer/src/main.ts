// Entry: takes the access token out of the address bar, starts loading the SQLite engine at once
// and primes it on a tiny recording (both happen while a file is chosen or fetched), takes out
// the recording a single-file page carries (keeping the page's own source without it), then
// mounts the app.

import { mount } from 'svelte';
import './ui/app.css';
import App from './ui/App.svelte';
import { warmUp } from './state/warm-up.js';
import { sqlEngine } from './load/sql-engine.js';
import { takeEmbeddedRecording } from './load/embedded-recording.js';
import { rememberPageSource } from './share/page-template.js';
import { forgetAddressToken } from './state/address-token.js';

forgetAddressToken();

// A failure here is reported when a file is opened, with the file's name.
void sqlEngine()
  .then(warmUp)
  .catch((e: unknown) => console.warn('warm-up failed', e));

const embedded = takeEmbeddedRecording();
rememberPageSource();
mount(App, { target: document.getElementById('app')!, props: { embedded } });
