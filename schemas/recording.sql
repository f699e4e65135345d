-- Heat Tracer recording, format version 1.
-- One SQLite file per recording: what was run, where, and every second's latency histograms.
-- Identify a recording by PRAGMA application_id = 1213481800 (0x48545248, "HTRH") and read its
-- format version from PRAGMA user_version (also kept in meta.format_version).
-- Bounds and values are in the recording's unit (meta.unit: ns | us | ms | s | count).

PRAGMA application_id = 1213481800;
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
  UNIQUE (aggregation, key)
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

-- One row per second the tracer reported, even when nothing happened (events = 0).
-- A second with no row here was missed (tracer stall, lost tick): see the gaps view and health.
-- t = whole seconds since meta.start_ms. partial = 1 for the last, cut-short second at exit.
CREATE TABLE second (
  t       INTEGER PRIMARY KEY,
  wall_ms INTEGER NOT NULL,
  events  INTEGER NOT NULL,
  partial INTEGER NOT NULL DEFAULT 0
);

-- The counts: per second, per series, per bucket; zeros are not stored.
-- Kept narrow (4 small integers) so a dense second of 40 keys x 6 buckets stays near 3 KB.
CREATE TABLE count (
  t         INTEGER NOT NULL,
  series_id INTEGER NOT NULL REFERENCES series (id),
  bucket_id INTEGER NOT NULL REFERENCES bucket (id),
  n         INTEGER NOT NULL,
  PRIMARY KEY (t, series_id, bucket_id)
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

-- Multi-resolution rollups: the same counts summed over `level`-second windows starting at
-- t (a multiple of level). series_id 0 is the sum over all series. Kept up to date while
-- recording so a day-long recording opens at once; rebuildable from count at any time.
CREATE TABLE rollup (
  level     INTEGER NOT NULL,
  t         INTEGER NOT NULL,
  series_id INTEGER NOT NULL,
  bucket_id INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (level, t, series_id, bucket_id)
) WITHOUT ROWID;

-- Readable joins for the sqlite3 shell.
CREATE VIEW counts AS
  SELECT c.t, s.wall_ms, r.aggregation, r.key, b.lo, b.hi, c.n
  FROM count c
  JOIN second s ON s.t = c.t
  JOIN series r ON r.id = c.series_id
  JOIN bucket b ON b.id = c.bucket_id;

-- Runs of missed seconds between the first and last recorded second.
CREATE VIEW gaps AS
  SELECT t + 1 AS first_missed, next_t - 1 AS last_missed, next_t - t - 1 AS seconds
  FROM (SELECT t, lead(t) OVER (ORDER BY t) AS next_t FROM second)
  WHERE next_t > t + 1;
