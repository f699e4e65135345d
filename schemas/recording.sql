-- Heat Tracer recording, format version 1.
-- One SQLite file per recording: what was run, where, and every second's latency histograms.
-- Identify a recording by PRAGMA application_id = 1213485640 (0x48545248, "HTRH") and read its
-- format version from PRAGMA user_version (also kept in meta.format_version).
-- Bounds and values are in the recording's unit (meta.unit: ns | us | ms | s | count).

PRAGMA application_id = 1213485640;
PRAGMA user_version = 1;

-- Key/value metadata. Keys are listed in schemas/format.ts (META_KEYS); values are text
-- (JSON for command_line).
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One histogram per (aggregation, key). key_json is the key tuple as a JSON array
-- (["bash", "read"]); key is the same tuple joined with ", " for display and queries.
-- scheme: log2 (hist/quantize), log2/K (bpftrace hist(n, K)), linear (lhist/lquantize),
-- log-linear (llquantize), unknown.
CREATE TABLE series (
  id          INTEGER PRIMARY KEY,
  aggregation TEXT NOT NULL,
  key         TEXT NOT NULL,
  key_json    TEXT NOT NULL,
  scheme      TEXT NOT NULL,
  UNIQUE (aggregation, key_json)
);

-- Every bucket ever seen, with exact inclusive bounds. lo IS NULL: open below (underflow,
-- e.g. lquantize "< base", bpftrace "(..., 0)"); hi IS NULL: open above (overflow, ">= limit").
-- Under- and overflow buckets are rows of their own, never folded into a neighbour.
CREATE TABLE bucket (
  id INTEGER PRIMARY KEY,
  lo INTEGER,
  hi INTEGER,
  UNIQUE (lo, hi)
);

-- One row per second the tracer reported, even when nothing happened (events = 0). events sums
-- the second's positive counts (negative ones, D weights, are no events: negative-counts.ts).
-- A second with no row here was missed (tracer stall, lost tick): see the gaps view and health.
-- t = whole seconds since meta.start_ms. partial = 1 for the last, cut-short second at exit.
-- tick_ns = the tracer's monotonic clock when it closed the second (NULL when it gives none):
-- consecutive differences are each second's true length, for exact rates.
CREATE TABLE second (
  t       INTEGER PRIMARY KEY,
  wall_ms INTEGER NOT NULL,
  events  INTEGER NOT NULL,
  partial INTEGER NOT NULL DEFAULT 0,
  tick_ns INTEGER
);

-- Runs of consecutive recorded seconds, [first, last] inclusive: derived from `second`, so a viewer
-- learns which seconds were recorded from a handful of rows (a week without a gap is one row)
-- instead of reading `second` whole (18 MB for a week, read at every open). Kept by the trigger
-- below as each second is inserted, in the same transaction, so it always matches `second`, also
-- while recording. Added in v1 (issue 13): files written before have no second_run and readers
-- derive the runs from `second` (slower to open in parts, same answer). Seconds are never deleted.
CREATE TABLE IF NOT EXISTS second_run (
  first INTEGER PRIMARY KEY,
  last  INTEGER NOT NULL
);

-- A new second t extends the run ending at t - 1, joins it with a run starting at t + 1, or
-- starts a run of its own: three primary-key seeks, whatever order seconds arrive in.
CREATE TRIGGER IF NOT EXISTS second_run_add AFTER INSERT ON second
BEGIN
  INSERT INTO second_run (first, last)
    SELECT NEW.t, coalesce((SELECT last FROM second_run WHERE first = NEW.t + 1), NEW.t)
    WHERE NOT EXISTS (SELECT 1 FROM second_run WHERE last = NEW.t - 1
      AND first = (SELECT max(first) FROM second_run WHERE first < NEW.t));
  UPDATE second_run
    SET last = coalesce((SELECT last FROM second_run WHERE first = NEW.t + 1), NEW.t)
    WHERE last = NEW.t - 1 AND first = (SELECT max(first) FROM second_run WHERE first < NEW.t);
  DELETE FROM second_run WHERE first = NEW.t + 1;
END;

-- The counts: one row per second and series; `counts` is a JSON object from bucket id to count,
-- e.g. {"12":340,"13":1200}. Zeros are not stored. JSON keeps a dense second of 40 keys x 6
-- buckets near 2.6 KB while every count stays readable by plain SQL (json_each; see the counts view).
CREATE TABLE hist (
  t         INTEGER NOT NULL,
  series_id INTEGER NOT NULL REFERENCES series (id),
  counts    TEXT NOT NULL,
  PRIMARY KEY (t, series_id)
) WITHOUT ROWID;

-- Tracer health, stored instead of lost: drops (lost events), errors and warnings the tracer
-- printed, gaps (seconds missed), the tracer's exit. t is the second it belongs to (NULL: before
-- the first second, e.g. start-up warnings).
CREATE TABLE health (
  id      INTEGER PRIMARY KEY,
  t       INTEGER,
  kind    TEXT NOT NULL CHECK (kind IN ('drop', 'error', 'warning', 'gap', 'exit')),
  count   INTEGER NOT NULL DEFAULT 1,
  message TEXT NOT NULL
);
CREATE INDEX health_t ON health (t);

-- Multi-resolution rollups: hist rows summed over `level`-second windows starting at t (a
-- multiple of level), same JSON shape. Only positive counts are summed (negative-counts.ts: a
-- D weight's negative count stays in hist, and never cancels another key's or second's), and a
-- window with none has no row. series_id 0 is the sum over all series, at every level
-- (1, 10, 60, 600, 3600 s); per-series rows only from 60 s up (finer per-series data is hist).
-- Written every 10 s with the windows closed by then, so a day-long recording opens at once;
-- rebuildable from hist at any time.
-- Key order (level, series_id, t), added in v1 (issue 13 item 10): a level's all-series windows
-- lie together, then each series' own, so the overview of a week read from a static host reads
-- 2 MB of 60 s windows instead of the whole level's 43 MB (40 keys' rows interleaved with them).
-- Files written before have the key (level, t, series_id): same columns, same rows, and every
-- reader reads both (queries name the series they want, never "all but 0").
CREATE TABLE rollup (
  level     INTEGER NOT NULL,
  t         INTEGER NOT NULL,
  series_id INTEGER NOT NULL,
  counts    TEXT NOT NULL,
  PRIMARY KEY (level, series_id, t)
) WITHOUT ROWID;

-- How far each rollup level is written: every window that ends at or before `through` (a second,
-- exclusive) is complete. Readers use finer levels (or hist) for the rest.
CREATE TABLE rollup_state (
  level   INTEGER PRIMARY KEY,
  through INTEGER NOT NULL
);

-- Marks: what happened when ("deploy v2"), added by `heat-record mark` (also while recording) or
-- the viewer. t_ms: wall-clock Unix ms of the moment, or of a span's start; end_ms: a span's end
-- (NULL for a moment). created_ms: when it was written; source: cli | viewer | merge | ....
-- Rules (text one line, at most 200 characters): schemas/marks.ts. Added in v1 (issue 13): files
-- written before have no mark table and read as having no marks; IF NOT EXISTS adds it to them.
CREATE TABLE IF NOT EXISTS mark (
  id         INTEGER PRIMARY KEY,
  t_ms       INTEGER NOT NULL,
  end_ms     INTEGER,
  text       TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  source     TEXT NOT NULL
);

-- Stacks (heat-record --stacks, issue 15): the code paths behind the events, kept so that any box
-- on the heat map (a time range x a latency band, per key) can be answered exactly. Added in v1:
-- files without these tables have no stacks. meta.stacks says which stacks were taken
-- (user | kernel | user+kernel) and meta.stacks_above the threshold in the recording's unit: events below it
-- carry no stack (a box's histogram count minus its stack count is the events below).
-- One row per distinct stack. frames: JSON array of frame names, outermost (root) first, user frames
-- then kernel frames; kernel frames end in "_[k]" (FlameGraph's convention); a frame that could not
-- be named is its address with its module, e.g. "0x7f3a12 (libc.so.6)", or a bare "0x7f3a12" when no
-- module holds it or the process had exited before its second was printed (user frames are named
-- only while the process lives, with bpftrace and DTrace alike). Symbols carry no offset ("main",
-- not "main+42"); C++ names are demangled when c++filt is there ("ns::Worker::slow_path(int)",
-- not "_ZN2ns6Worker9slow_pathEi"). An event whose stacks were all empty (a kernel thread's user stack) has the one
-- frame "[no stack]".
CREATE TABLE IF NOT EXISTS stack (
  id     INTEGER PRIMARY KEY,
  frames TEXT NOT NULL UNIQUE
);

-- Per second, per series (the histogram the event went into) and per stack: the events' latency
-- buckets, in hist.counts's JSON ({"bucketId": count}; zeros not stored). Summed over stacks, a
-- row set gives the series' histogram counts at or above meta.stacks_above.
CREATE TABLE IF NOT EXISTS stack_hist (
  t         INTEGER NOT NULL,
  series_id INTEGER NOT NULL REFERENCES series (id),
  stack_id  INTEGER NOT NULL REFERENCES stack (id),
  counts    TEXT NOT NULL,
  PRIMARY KEY (t, series_id, stack_id)
) WITHOUT ROWID;

-- One row per (second, series, bucket, stack) with readable bounds and frames.
CREATE VIEW IF NOT EXISTS stack_counts AS
  SELECT h.t, r.aggregation, r.key, b.lo, b.hi, s.frames, j.value AS n
  FROM stack_hist h
  JOIN series r ON r.id = h.series_id
  JOIN stack s ON s.id = h.stack_id
  JOIN json_each(h.counts) j
  JOIN bucket b ON b.id = j.key;

-- One row per (second, series, bucket) with readable bounds: what most queries want.
CREATE VIEW counts AS
  SELECT h.t, r.aggregation, r.key, b.lo, b.hi, j.value AS n
  FROM hist h
  JOIN series r ON r.id = h.series_id
  JOIN json_each(h.counts) j
  JOIN bucket b ON b.id = j.key;

-- Runs of missed seconds between the first and last recorded second.
CREATE VIEW gaps AS
  SELECT t + 1 AS first_missed, next_t - 1 AS last_missed, next_t - t - 1 AS seconds
  FROM (SELECT t, lead(t) OVER (ORDER BY t) AS next_t FROM second)
  WHERE next_t > t + 1;
