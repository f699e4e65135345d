// The one updating status line shown on a terminal while recording.

import { statSync } from 'node:fs';
import { histogramTotal, type Snapshot } from '../model/snapshot.js';

export interface StatusLine {
  update(secondsRecorded: number, last: Snapshot): void;
  done(): void;
}

/** A status line on stderr when it is a TTY and not --quiet; otherwise a no-op. */
export function statusLine(
  path: string,
  options: { quiet: boolean; stream?: NodeJS.WriteStream },
): StatusLine {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return { update() {}, done() {} };
  const startedMs = Date.now();
  return {
    update(seconds, last) {
      const events = last.histograms.reduce((sum, h) => sum + histogramTotal(h), 0n);
      const line = `recording ${path}  ${clock(Date.now() - startedMs)}  ${seconds} s recorded  ${events.toLocaleString('en-US')} events/s  ${fileSize(path)}  (Ctrl-C to stop)`;
      stream.write(`\r\x1b[K${line.slice(0, (stream.columns || 120) - 1)}`);
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** Recording size including its WAL, e.g. "1.2 MB". */
export function fileSize(path: string): string {
  let bytes = 0;
  for (const p of [path, `${path}-wal`]) {
    try {
      bytes += statSync(p).size;
    } catch {
      // not there yet
    }
  }
  return bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
