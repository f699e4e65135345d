// How the viewer and Compare follow an opened recording (followRecording), on a real recording
// whose rollup counts are not JSON: it opens, its reads fail, and every follower (the map's and
// Compare's B) hears each failure once, after the read, as a RecordingError naming the file;
// one that stopped following hears nothing more.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRecording } from '../../../viewer/src/load/open-recording.js';
import { RecordingError } from '../../../viewer/src/load/recording-error.js';
import { sqlEngine, type SqlEngine } from '../../../viewer/src/load/sql-engine.js';
import { ALL_KEYS, isolate } from '../../../viewer/src/model/key-selection.js';
import type { Recording } from '../../../viewer/src/model/recording.js';
import { followRecording } from '../../../viewer/src/state/recording-events.js';
import { writeMalformedRecordings } from '../../helpers/malformed-recordings.js';
import { useTempDir } from '../../helpers/temp-dir.js';
import { recordSynthetic, REPO_ROOT } from '../helpers/recordings.js';

const tmp = useTempDir('viewer-recording-events-');
let engine: SqlEngine;
let corpus: Map<string, string>;

beforeAll(async () => {
  engine = await sqlEngine({
    bytes: readFileSync(join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm')),
  });
  await recordSynthetic(tmp('good.db'), { seconds: 130, keys: 3, seed: 7 });
  corpus = writeMalformedRecordings(tmp('good.db'), tmp(''));
});

async function open(name: string): Promise<Recording> {
  return openRecording(readFileSync(corpus.get(name)!), `${name}.db`, engine);
}

/** Reads the whole recording's counts of all keys, as a frame of 100 columns would. */
function readAll(rec: Recording): void {
  const grid = rec.counts(ALL_KEYS).gridFor(rec.t0, rec.end, 100);
  grid.sumInto(rec.t0, rec.end, new Float64Array(grid.rows));
}

describe('followRecording', () => {
  it('tells every follower of a failed read, after the read, naming the file', async () => {
    const rec = await open('rollup-counts-garbage');
    const map: RecordingError[] = [];
    const compare: RecordingError[] = [];
    followRecording(rec, { detail: () => undefined, failed: (err) => map.push(err) });
    followRecording(rec, { detail: () => undefined, failed: (err) => compare.push(err) });
    readAll(rec);
    expect(map).toEqual([]); // not inside the read: state must not change mid-frame
    await Promise.resolve();
    expect(map.length).toBeGreaterThan(0);
    expect(compare).toEqual(map);
    expect(map[0]!.file).toBe('rollup-counts-garbage.db');
    expect(map[0]!.problem).toBe('damaged');
    expect(map[0]!.message).toMatch(
      /^rollup-counts-garbage\.db: the file is damaged: the counts of second \d+, series 0 are not JSON/,
    );
  });

  it('stops: nothing arrives once unfollowed, even a failure raised just before', async () => {
    const rec = await open('rollup-counts-garbage');
    const heard: RecordingError[] = [];
    const stop = followRecording(rec, {
      detail: () => undefined,
      failed: (err) => heard.push(err),
    });
    readAll(rec);
    stop();
    await Promise.resolve();
    expect(heard).toEqual([]);
    expect(rec.readFailed.size).toBe(0);
  });

  it('passes notes on after the read: negative counts added to the health list', async () => {
    const rec = await open('counts-negative');
    let notes = 0;
    followRecording(rec, { detail: () => undefined, failed: () => undefined, note: () => notes++ });
    for (const id of rec.seriesIds) rec.grid(isolate([id], rec.seriesIds)); // reads the hist rows
    await Promise.resolve();
    expect(notes).toBe(1);
    expect(rec.info.health.some((h) => /negative counts/.test(h.message))).toBe(true);
  });
});
