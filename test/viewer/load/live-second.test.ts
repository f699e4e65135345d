// /live `second` messages as the model's appended seconds: exact conversion of a hand-made
// message, refusal of what is not a v1 second, and the real thing end to end: messages made by
// the server's RecordingTail from a recording, appended to the same recording opened when it
// held fewer seconds, give exactly the counts of the whole file, new keys and buckets included.

import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingTail } from '../../../cli/serve/recording-tail.js';
import type { LiveSecond } from '../../../schemas/format.js';
import { parseLiveSecond, toAppendedSecond } from '../../../viewer/src/load/live-second.js';
import { openRecording } from '../../../viewer/src/load/open-recording.js';
import { sqlEngine, type SqlEngine } from '../../../viewer/src/load/sql-engine.js';
import { ALL_KEYS, isolate } from '../../../viewer/src/model/key-selection.js';
import type { Recording } from '../../../viewer/src/model/recording.js';
import { readBoxStacks } from '../../../viewer/src/model/stack-box.js';
import { twoPathSeconds, writeStackRecording } from '../helpers/stack-recordings.js';
import { gridCounts } from '../helpers/expected.js';
import { second, writeRecording } from '../../helpers/recordings.js';
import { REPO_ROOT } from '../helpers/recordings.js';

const message: LiveSecond = {
  v: 1,
  type: 'second',
  t: 7,
  wallMs: 1_767_323_093_000,
  events: '9007199254740993',
  partial: true,
  series: [
    { id: 1, aggregation: '@lat', key: ['read'], scheme: 'log2' },
    { id: 2, aggregation: '@lat', key: ['nginx', '42'], scheme: 'log2' },
  ],
  buckets: [
    { id: 3, lo: 16, hi: 31 },
    { id: 9, lo: '9007199254740992', hi: null },
  ],
  counts: [
    [1, 3, 5],
    [2, 3, 2],
    [2, 9, '7'],
    [1, 9, 1],
  ],
  health: [{ kind: 'drop', count: 12, message: 'lost 12 events' }],
};

describe('toAppendedSecond', () => {
  it('groups counts by series and lists only the keys and buckets not held yet', () => {
    const appended = toAppendedSecond(message, {
      hasSeries: (id) => id === 1,
      hasBucket: (id) => id === 3,
    });
    expect(appended).toEqual({
      t: 7,
      wallMs: 1_767_323_093_000,
      partial: true,
      series: [
        { seriesId: 1, counts: { 3: 5, 9: 1 } },
        { seriesId: 2, counts: { 3: 2, 9: 7 } },
      ],
      newSeries: [
        { id: 2, aggregation: '@lat', key: 'nginx, 42', keyParts: ['nginx', '42'], scheme: 'log2' },
      ],
      newBuckets: [{ id: 9, lo: 9007199254740992, hi: null }],
      health: [{ t: 7, kind: 'drop', count: 12, message: 'lost 12 events' }],
    });
  });

  it('lists nothing as new when everything is known', () => {
    const appended = toAppendedSecond(message, { hasSeries: () => true, hasBucket: () => true });
    expect([appended.newSeries, appended.newBuckets]).toEqual([[], []]);
  });
});

describe('parseLiveSecond', () => {
  it('reads a v1 second and refuses anything else', () => {
    expect(parseLiveSecond(JSON.stringify(message))?.t).toBe(7);
    expect(parseLiveSecond('{"v":1,"type":"second"')).toBeNull();
    expect(parseLiveSecond(JSON.stringify({ ...message, v: 2 }))).toBeNull();
    expect(parseLiveSecond(JSON.stringify({ ...message, type: 'end' }))).toBeNull();
    expect(parseLiveSecond(JSON.stringify({ ...message, t: 'x' }))).toBeNull();
  });
});

describe('seconds streamed by the server, appended to the recording as first loaded', () => {
  let engine: SqlEngine;
  let dir: string;
  // Seconds 3 and 4 bring a key (write) and buckets ([4096, 8191], [0, 0]) the first three lack.
  const seconds = [
    second(0, { read: { 4: 10, 5: 2 } }),
    second(1, { read: { 4: 3 } }),
    second(2, { read: { 5: 1 } }),
    second(3, { read: { 4: 1 }, write: { 12: 7 } }),
    second(4, { write: { 12: 2, [-1]: 5 }, read: { 5: 4 } }),
  ];

  beforeAll(async () => {
    engine = await sqlEngine({
      bytes: readFileSync(join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm')),
    });
    dir = mkdtempSync(join(tmpdir(), 'viewer-live-second-'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds exactly the counts of the whole file, per key too', async () => {
    const full = join(dir, 'full.db');
    const head = join(dir, 'head.db');
    writeRecording(full, seconds);
    writeRecording(head, seconds.slice(0, 3));
    const rec = await openRecording(readFileSync(head), 'head.db', engine);
    const tail = new RecordingTail(full);
    tail.start();
    tail.stop();
    const messages = tail.secondsAfter(rec.end - 1);
    expect(messages.map((m) => m.t)).toEqual([3, 4]);
    for (const m of messages)
      rec.appendSecond(
        toAppendedSecond(m, {
          hasSeries: (id) => rec.seriesIds.includes(id),
          hasBucket: (id) => rec.axis.rowOf(id) >= 0,
        }),
      );

    expect(rec.series.map((s) => s.key)).toEqual(['read', 'write']);
    expect(modelCounts(rec, null)).toEqual(fileCounts(full, null));
    expect(modelCounts(rec, 'write')).toEqual(fileCounts(full, 'write'));
    expect(modelCounts(rec, 'read')).toEqual(fileCounts(full, 'read'));
  });
});

describe('stacks streamed with their seconds', () => {
  it('a box over the appended seconds holds exactly the file stacks', async () => {
    const engine = await sqlEngine({
      bytes: readFileSync(join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm')),
    });
    const dir = mkdtempSync(join(tmpdir(), 'viewer-live-stacks-'));
    try {
      const [full, head] = [join(dir, 'full.db'), join(dir, 'head.db')];
      writeStackRecording(full, twoPathSeconds(12), { stacksAbove: 4 });
      writeStackRecording(head, twoPathSeconds(5), { stacksAbove: 4 });
      const rec = await openRecording(readFileSync(head), 'head.db', engine);
      const tail = new RecordingTail(full);
      tail.start();
      tail.stop();
      const messages = tail.secondsAfter(rec.end - 1);
      expect(messages.every((m) => m.stacks && m.stacks.counts.length === 3)).toBe(true);
      for (const m of messages)
        rec.appendSecond(
          toAppendedSecond(m, {
            hasSeries: (id) => rec.seriesIds.includes(id),
            hasBucket: (id) => rec.axis.rowOf(id) >= 0,
          }),
        );
      const fromFile = await openRecording(readFileSync(full), 'full.db', engine);
      const box = (r: Recording) => ({ from: 3, to: 12, buckets: null, ids: r.seriesIds });
      const live = await readBoxStacks(rec, box(rec));
      expect(live).toEqual(await readBoxStacks(fromFile, box(fromFile)));
      expect(live!.total).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** "t|lo|hi" -> count, from the model's grid of all keys or one key. */
function modelCounts(rec: Recording, key: string | null): Map<string, number> {
  return gridCounts(
    rec,
    key === null ? ALL_KEYS : isolate([rec.series.find((s) => s.key === key)!.id], rec.seriesIds),
  );
}

/** The same from the file, through the schema's counts view. */
function fileCounts(path: string, key: string | null): Map<string, number> {
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare(
      `SELECT t, lo, hi, sum(n) AS n FROM counts ${key === null ? '' : 'WHERE key = ?'} GROUP BY t, lo, hi`,
    )
    .all(...(key === null ? [] : [key])) as { t: number; lo: number; hi: number; n: number }[];
  db.close();
  return new Map(rows.map((r) => [`${r.t}|${r.lo}|${r.hi}`, r.n]));
}
