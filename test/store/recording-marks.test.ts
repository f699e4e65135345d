import Database from 'better-sqlite3';
import { renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_MARK_CHARS } from '../../schemas/marks.js';
import { HeatError } from '../../cli/model/heat-error.js';
import { addMark } from '../../cli/store/recording-marks.js';
import { RecordingReader } from '../../cli/store/recording-reader.js';
import { runCli } from '../helpers/cli.js';
import { hist, openRecording, snapshot, START_MS, writeRecording } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const mark = (text: string, atMs = START_MS + 1500, endMs: number | null = null) => ({
  atMs,
  endMs,
  text,
  createdMs: START_MS + 9000,
  source: 'cli',
});
const readMarks = (path: string) => {
  const reader = RecordingReader.open(path);
  try {
    return reader.marks();
  } finally {
    reader.close();
  }
};

describe('recording marks', () => {
  it('adds marks to a finished recording and reads them back in time order, spans with their end', () => {
    const path = tmp('done.db');
    writeRecording(path, [snapshot(0, [hist(['read'], [[1, 1, 5]])]), snapshot(1, [])]);
    addMark(path, mark('deploy v2', START_MS + 1500));
    addMark(path, mark('load test', START_MS + 200, START_MS + 1800));
    expect(readMarks(path)).toEqual([
      {
        id: 2,
        atMs: START_MS + 200,
        endMs: START_MS + 1800,
        text: 'load test',
        createdMs: START_MS + 9000,
        source: 'cli',
      },
      {
        id: 1,
        atMs: START_MS + 1500,
        endMs: null,
        text: 'deploy v2',
        createdMs: START_MS + 9000,
        source: 'cli',
      },
    ]);
  });

  it('reads a recording made before the mark table as having none, and adds the table with its first mark', () => {
    const path = tmp('old.db');
    writeRecording(path, [snapshot(0, [])]);
    const db = new Database(path);
    db.exec('DROP TABLE mark');
    db.close();
    expect(readMarks(path)).toEqual([]);
    RecordingReader.open(path).verify();
    addMark(path, mark('first'));
    expect(readMarks(path).map((m) => m.text)).toEqual(['first']);
  });

  it('adds a mark from a second connection while the recorder holds the file open in WAL mode', () => {
    const path = tmp('live.db');
    const writer = openRecording(path);
    writer.append(snapshot(0, [hist(['read'], [[1, 1, 5]])]));
    addMark(path, mark('while recording'));
    writer.append(snapshot(1, [hist(['read'], [[1, 1, 2]])]));
    writer.finish({ end_ms: String(START_MS + 2000), end_reason: 'duration', status: 'complete' });
    expect(readMarks(path).map((m) => m.text)).toEqual(['while recording']);
  });

  it('writes a mark again into the compacted copy a finishing recorder renames over the file meanwhile', async () => {
    const path = tmp('finishing.db');
    writeRecording(path, [snapshot(0, [hist(['read'], [[1, 1, 5]])])]);
    // The recorder's copy, taken before the mark (compact-recording.ts names it after its pid).
    const copy = join(dirname(path), `.${basename(path)}.compact-${process.pid}`);
    const db = new Database(path, { readonly: true });
    db.prepare('VACUUM INTO ?').run(copy);
    db.close();
    const marking = runCli(['mark', path, 'during the compaction']);
    await new Promise((r) => setTimeout(r, 1500));
    renameSync(copy, path);
    const result = await marking;
    expect(result.code, result.stderr).toBe(0);
    expect(readMarks(path).map((m) => m.text)).toEqual(['during the compaction']);
  });

  it('refuses, in one line, an empty mark, one too long, one of two lines, and a span that ends before it starts', () => {
    const path = tmp('bad.db');
    writeRecording(path, [snapshot(0, [])]);
    const refused = (m: ReturnType<typeof mark>) => {
      try {
        addMark(path, m);
      } catch (err) {
        expect(err).toBeInstanceOf(HeatError);
        return (err as HeatError).toLine();
      }
      return 'added';
    };
    expect(refused(mark('  '))).toMatch(/^heat-record: the mark text is empty \(/);
    expect(refused(mark('x'.repeat(MAX_MARK_CHARS + 1)))).toContain(
      `is ${MAX_MARK_CHARS + 1} characters long (at most ${MAX_MARK_CHARS})`,
    );
    expect(refused(mark('two\nlines'))).toContain('a mark is one line');
    expect(refused(mark('backwards', START_MS + 2000, START_MS + 1000))).toContain(
      'the mark ends before it starts',
    );
    expect(refused(mark('x'.repeat(MAX_MARK_CHARS)))).toBe('added');
    expect(refused(mark(''))).not.toContain('\n');
  });

  it('names a damaged mark row as damage of the file', () => {
    const path = tmp('damaged.db');
    writeRecording(path, [snapshot(0, [])]);
    const db = new Database(path);
    db.prepare(
      "INSERT INTO mark (t_ms, end_ms, text, created_ms, source) VALUES (?, NULL, 'a\nb', 0, 'cli')",
    ).run(START_MS);
    db.close();
    expect(() => readMarks(path)).toThrow(/damaged: mark 1: the mark text holds a line break/);
  });
});
