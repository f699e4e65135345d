// A tiny recording built in memory for the warm-up (state/warm-up.ts): the real schema, a few keys
// of log2 buckets and rollups at every level, so opening it runs the same code a real file does.

import recordingSql from '../../../schemas/recording.sql?raw';
import type { SqlEngine } from './sql-engine.js';

/** The recording's bytes: `seconds` seconds of `keys` keys, each second the same counts. */
export function warmUpRecording(engine: SqlEngine, seconds: number, keys: number): Uint8Array {
  const db = new engine.Database();
  try {
    db.run(recordingSql);
    db.run(
      "INSERT INTO meta (key, value) VALUES ('unit', 'us'), ('start_ms', '0'), ('format_version', '1')",
    );
    for (let k = 0; k < keys; k++)
      db.run(
        "INSERT INTO series (aggregation, key, key_json, scheme) VALUES ('@lat', ?, ?, 'log2')",
        [`k${k}`, `["k${k}"]`],
      );
    for (let b = 0; b < 8; b++)
      db.run('INSERT INTO bucket (lo, hi) VALUES (?, ?)', [2 ** b, 2 ** (b + 1) - 1]);
    const counts = '{"1":3,"2":40,"3":9,"5":1}';
    db.run('BEGIN');
    for (let t = 0; t < seconds; t++) {
      db.run('INSERT INTO second (t, wall_ms, events, partial) VALUES (?, ?, 53, 0)', [
        t,
        t * 1000,
      ]);
      for (let s = 1; s <= keys; s++)
        db.run('INSERT INTO hist (t, series_id, counts) VALUES (?, ?, ?)', [t, s, counts]);
      db.run('INSERT INTO rollup (level, t, series_id, counts) VALUES (1, ?, 0, ?)', [t, counts]);
    }
    for (const level of [10, 60, 600, 3600]) {
      for (let t = 0; t < seconds; t += level)
        for (let s = 0; s <= keys; s++)
          db.run('INSERT INTO rollup (level, t, series_id, counts) VALUES (?, ?, ?, ?)', [
            level,
            t,
            s,
            counts,
          ]);
    }
    for (const level of [1, 10, 60, 600, 3600])
      db.run('INSERT INTO rollup_state (level, through) VALUES (?, ?)', [level, seconds]);
    db.run('COMMIT');
    return db.export();
  } finally {
    db.close();
  }
}
