// heat-view run.db: serve the built viewer and one recording on loopback, print the URL, open a browser.

import type { Command } from 'commander';
import { RecordingReader } from '../store/recording-reader.js';
import { LiveRecording } from '../serve/live-recording.js';
import { startViewerServer } from '../serve/viewer-server.js';
import { checkTokenStrength } from '../serve/access-token.js';
import { collectAllowedHost } from './allow-host.js';
import { parseListenHost, parsePort } from './listen-address.js';

interface ViewFlags {
  host?: string;
  port?: string;
  token?: string;
  allowHost: string[];
  open: boolean;
}

export function registerView(program: Command): void {
  program
    .argument('<recording>', 'the .db file written by heat-record')
    .option(
      '--host <address>',
      'address to bind; anything but loopback requires a token',
      '127.0.0.1',
    )
    .option('--port <n>', 'port to listen on (0: any free port)', '0')
    .option(
      '--token <token>',
      'the access token, 12 characters or more (generated when binding beyond loopback)',
    )
    .option(
      '--allow-host <name>',
      'also answer requests for this host name (repeatable; loopback and the bound address always)',
      collectAllowedHost,
      [],
    )
    .option('--no-open', 'do not open a browser')
    .action(async (file: string, flags: ViewFlags) => {
      const host = parseListenHost(flags.host ?? '127.0.0.1', '--host');
      const port = parsePort(flags.port ?? '0', '--port');
      if (flags.token !== undefined) checkTokenStrength(flags.token, '--token');
      refuseUnservable(file);
      const live = new LiveRecording(file);
      const running = await startViewerServer({
        recordingPath: file,
        host,
        port,
        token: flags.token ?? null,
        allowHosts: flags.allowHost,
        routes: live.routes,
      });
      process.stdout.write(`heat-view: serving ${file} at ${running.url}\n(Ctrl-C to stop)\n`);
      if (flags.open) await openBrowser(running.url);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      live.close();
      await running.close();
    });
}

async function openBrowser(url: string): Promise<void> {
  try {
    const { default: open } = await import('open');
    await open(url);
  } catch {
    process.stderr.write('heat-view: could not open a browser; open the URL above yourself\n');
  }
}

/**
 * What the page cannot start without, checked now for a one-line refusal: a recording of a known
 * format version with its meta, and every page readable (PRAGMA quick_check, ~0.1 s for 6 h).
 * Values are checked where they are read (the viewer's loader, the live reads), so a day-long
 * file is served at once rather than after decoding every row (5.8 s for 6 h).
 */
function refuseUnservable(file: string): void {
  const reader = RecordingReader.open(file, 'recording');
  try {
    reader.checkPages();
  } finally {
    reader.close();
  }
}
