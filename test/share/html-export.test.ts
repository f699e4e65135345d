// heat-record export --html from the command line: the page holds the recording (gzipped in
// 1 MiB blocks, base64, a block per line) in its slot and nothing else changes; its size is the
// viewer page plus the encoded recording; a recording still being written goes in as a
// consistent snapshot; bad input is refused with one line.

import Database from 'better-sqlite3';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { exportHtml, fillPage } from '../../cli/share/html-export.js';
import { runCli } from '../helpers/cli.js';
import {
  hist,
  openRecording,
  snapshot,
  writeRecording,
  writeSyntheticRecording,
} from '../helpers/recordings.js';
import { EMBED_BLOCK } from '../../schemas/embedded-page.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir('heat-html-');
const TEMPLATE =
  '<!doctype html><html><head><title>Heat Tracer viewer</title><script type="module">/* app */</script></head>' +
  '<body><div id="app"></div>\n<!-- heat-recording: the recording goes here -->\n</body></html>';
const db = tmp('a&b.db');
writeRecording(db, [
  snapshot(0, [
    hist(
      ['read'],
      [
        [1, 1, 40],
        [1024, 2047, 5],
      ],
    ),
  ]),
  snapshot(1, [hist(['read'], [[2, 3, 7]])]),
]);

describe('heat-record export --html', () => {
  it('puts the gzipped recording, base64, in the slot and titles the page after it', () => {
    const out = tmp('page.html');
    const sizes = exportHtml(db, out, false, TEMPLATE);
    const page = readFileSync(out, 'utf8');
    const m =
      /<script type="application\/gzip" id="heat-recording" data-name="a&#38;b\.db" data-size="(\d+)">([A-Za-z0-9+/=]+)<\/script>/.exec(
        page,
      );
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(statSync(db).size);
    expect(gunzipSync(Buffer.from(m![2]!, 'base64')).equals(readFileSync(db))).toBe(true);
    expect(page).toContain('<title>a&#38;b.db · Heat Tracer</title>');
    expect(page).not.toContain('<!-- heat-recording');
    expect(
      page
        .replace(m![0], '<!-- heat-recording: the recording goes here -->')
        .replace(/<title>[^<]*<\/title>/, '<title>Heat Tracer viewer</title>'),
    ).toBe(TEMPLATE);
    expect(sizes.recordingBytes).toBe(statSync(db).size);
    expect(sizes.htmlBytes).toBe(statSync(out).size);
    expect(sizes.overheadBytes).toBe(sizes.htmlBytes - sizes.gzippedBytes);
    expect(m![2]!.length).toBe(4 * Math.ceil(sizes.gzippedBytes / 3));
  });

  it('gzips a recording over 1 MiB in blocks, one base64 line each, that gunzip to the file in order', () => {
    const big = tmp('big.db');
    writeSyntheticRecording(big, 1500, { keys: 20, seed: 3 });
    const out = tmp('big.html');
    const sizes = exportHtml(big, out, false, TEMPLATE);
    const file = readFileSync(big);
    expect(file.length).toBeGreaterThan(2 * EMBED_BLOCK);
    const lines = /data-size="(\d+)">([^<]+)<\/script>/
      .exec(readFileSync(out, 'utf8'))![2]!
      .split('\n');
    expect(lines.length).toBe(Math.ceil(file.length / EMBED_BLOCK));
    const blocks = lines.map((l) => gunzipSync(Buffer.from(l, 'base64')));
    expect(blocks.slice(0, -1).every((b) => b.length === EMBED_BLOCK)).toBe(true);
    expect(Buffer.concat(blocks).equals(file)).toBe(true);
    expect(sizes.gzippedBytes).toBe(lines.reduce((n, l) => n + Buffer.from(l, 'base64').length, 0));
  });

  it('takes a consistent snapshot of a recording still being written (WAL mode)', () => {
    const live = tmp('live.db');
    const writer = openRecording(live);
    for (let t = 0; t < 5; t++) writer.append(snapshot(t, [hist(['read'], [[1, 1, t + 1]])]));
    try {
      exportHtml(live, tmp('live.html'), false, TEMPLATE);
      const base64 = /id="heat-recording" data-name="live\.db" data-size="\d+">([^<]+)</.exec(
        readFileSync(tmp('live.html'), 'utf8'),
      )![1]!;
      writeFileSync(
        tmp('inside.db'),
        Buffer.concat(base64.split('\n').map((l) => gunzipSync(Buffer.from(l, 'base64')))),
      );
      const db = new Database(tmp('inside.db'), { readonly: true });
      expect(db.prepare('SELECT count(*) AS n, sum(events) AS e FROM second').get()).toEqual({
        n: 5,
        e: 15,
      });
      db.close();
    } finally {
      writer.close();
    }
  });

  it('never expands $-patterns of a name into the page', () => {
    expect(fillPage(TEMPLATE, "$&$'.db", [new Uint8Array([1, 2, 3])], 3)).toContain(
      'data-name="$&#38;$&#39;.db" data-size="3">AQID</script>',
    );
  });

  it('refuses what is not a recording, a missing page slot and --from with --html, in one line', async () => {
    const notes = tmp('notes.db');
    writeFileSync(notes, 'time,latency\n1,2\n');
    const bad = await runCli(['export', notes, '--html', tmp('x.html')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `heat-record: ${notes} is not a SQLite file (a recording is the .db file written by heat-record -o)\n`,
    );
    const range = await runCli(['export', db, '--html', tmp('y.html'), '--from', '1']);
    expect(range.code).toBe(1);
    expect(range.stderr).toMatch(
      /^heat-record: --html exports the whole recording \(clip it first: heat-record clip .*\)\n$/,
    );
    expect(() => exportHtml(db, tmp('z.html'), false, '<html><body></body></html>')).toThrow(
      /no place for a recording/,
    );
  });
});
