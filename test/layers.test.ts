// The layering rules of README.md's Architecture section fail on a wrong import: the real .dependency-cruiser.cjs is
// run on a throwaway tree (cli/, viewer/src/ in a temp folder, node_modules linked), so a rule that
// matches nothing — a typo in a path regex — fails here instead of passing quietly in CI.

import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import { useTempDir } from './helpers/temp-dir.js';

const root = resolve(import.meta.dirname, '..');
const configPath = join(root, '.dependency-cruiser.cjs');
const config = createRequire(import.meta.url)(configPath) as IConfiguration;
const tempPath = useTempDir('heat-layers-');

/** Writes `files` (path → source) into a fresh tree and returns the names of the rules they break. */
async function violations(name: string, files: Record<string, string>): Promise<string[]> {
  const base = tempPath(name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(base, path)), { recursive: true });
    writeFileSync(join(base, path), text);
  }
  symlinkSync(join(root, 'node_modules'), join(base, 'node_modules'), 'dir');
  // No tsConfig: the throwaway tree has none, and plain relative imports need none.
  const { tsConfig: _unused, ...options } = config.options ?? {};
  const result = await cruise(
    ['cli', 'viewer', 'schemas'].filter((d) => existsSync(join(base, d))),
    {
      ...options,
      baseDir: base,
      validate: true,
      ruleSet: { forbidden: config.forbidden ?? [] },
    },
  );
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('npm run lint:layers', () => {
  it('flags better-sqlite3 imported from cli/serve', async () => {
    const found = await violations('sqlite', {
      'cli/serve/peek.ts':
        "import Database from 'better-sqlite3';\nexport const open = (p: string) => new Database(p);\n",
    });
    expect(found).toContainEqual(
      expect.stringMatching(/^sqlite-only-in-store: cli\/serve\/peek\.ts → .*better-sqlite3/),
    );
  });

  it('flags viewer/src/model importing load/', async () => {
    const found = await violations('viewer-model', {
      'viewer/src/load/source.ts': 'export const source = 1;\n',
      'viewer/src/model/grid.ts':
        "import { source } from '../load/source.js';\nexport const grid = source;\n",
    });
    expect(found).toContain(
      'viewer-model-is-a-leaf: viewer/src/model/grid.ts → viewer/src/load/source.ts',
    );
  });

  it('flags share/ importing serve/ sideways, and cli importing viewer', async () => {
    const found = await violations('sideways', {
      'cli/serve/bytes.ts': 'export const bytes = 1;\n',
      'viewer/src/model/scale.ts': 'export const scale = 2;\n',
      'cli/share/page.ts':
        "import { bytes } from '../serve/bytes.js';\nimport { scale } from '../../viewer/src/model/scale.js';\nexport const page = bytes + scale;\n",
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'cli-features-not-sideways: cli/share/page.ts → cli/serve/bytes.ts',
        'cli-not-viewer: cli/share/page.ts → viewer/src/model/scale.ts',
      ]),
    );
  });

  it("flags the store's Db handle taken from cli/serve (no file is excepted any more)", async () => {
    const found = await violations('db-handle', {
      'cli/store/sqlite.ts':
        'export type Db = { close(): void };\nexport const openDatabase = (): Db => ({ close() {} });\n',
      'cli/serve/recording-tail.ts':
        "import { openDatabase } from '../store/sqlite.js';\nexport const tail = openDatabase;\n",
    });
    expect(found).toContain(
      'db-handle-only-in-store: cli/serve/recording-tail.ts → cli/store/sqlite.ts',
    );
  });

  it('passes the same tree without the wrong import', async () => {
    const found = await violations('clean', {
      'cli/store/open.ts':
        "import Database from 'better-sqlite3';\nexport const open = (p: string) => new Database(p);\n",
      'cli/serve/peek.ts': "import { open } from '../store/open.js';\nexport const peek = open;\n",
    });
    expect(found).toEqual([]);
  });

  it('names only files that exist (in path rules and any known exception)', () => {
    const named = [...readFileSync(configPath, 'utf8').matchAll(/'\^(cli\/[^']+)\[\.\]ts\$'/g)].map(
      (m) => `${m[1]}.ts`,
    );
    expect(named.length).toBeGreaterThan(0);
    for (const file of named) expect(existsSync(join(root, file)), file).toBe(true);
  });
});

/** Where SQL may be written and its rows typed: the CLI's store and the viewer's loader. */
const SQL_HOMES = /^(cli\/store|viewer\/src\/load)\//;
/** The start of an SQL statement, as written in a string literal or a multi-line template. */
const SQL_STATEMENT =
  /\b(SELECT\b.*\bFROM\b|SELECT\s+(\d|\$\{|\w+\()|INSERT\s+(OR\s+\w+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|CREATE\s+(TABLE|(UNIQUE\s+)?INDEX|VIEW|TRIGGER)\b|PRAGMA\s+\w)/;
/** A line that runs a query (better-sqlite3 or sql.js). */
const QUERY_CALL = /\.(prepare|pragma|exec|iterate|getAsObject)\(|\.(get|all|run)\([^)]*\)\s*as\b/;
const CAST = /\bas\s+(\{|Record<|Iterable)/;

/** What in one source file runs SQL outside the store/load layers: `path:line: text`. */
function sqlOutsideStore(path: string, source: string): string[] {
  if (SQL_HOMES.test(path)) return [];
  return source.split('\n').flatMap((line, i) => {
    const code = line.replace(/^\s*(\/\/|\*|\/\*).*$/, '');
    const found =
      SQL_STATEMENT.test(code) ||
      (QUERY_CALL.test(code) && CAST.test(code)) ||
      /\.(prepare|pragma)\(/.test(code);
    return found ? [`${path}:${i + 1}: ${line.trim()}`] : [];
  });
}

/** Source files (.ts, .svelte) under `dir`, as paths relative to the repository. */
function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|svelte)$/.test(f))
    .map((f) => `${dir}/${f}`);
}

describe('SQL lives in cli/store/ and viewer/src/load/ only', () => {
  it('finds an SQL string, a query, and a cast of its rows outside them', () => {
    const source = [
      "const rows = db.prepare('SELECT t FROM second').all() as { t: number }[];",
      '  db.run(`INSERT INTO mark (t, text)',
      '// a comment may say SELECT t FROM second',
      "const label = 'SELECT a palette';",
    ].join('\n');
    expect(sqlOutsideStore('cli/serve/peek.ts', source)).toEqual([
      "cli/serve/peek.ts:1: const rows = db.prepare('SELECT t FROM second').all() as { t: number }[];",
      'cli/serve/peek.ts:2: db.run(`INSERT INTO mark (t, text)',
    ]);
    expect(sqlOutsideStore('cli/store/peek.ts', source)).toEqual([]);
  });

  it('finds none in cli/ and viewer/src/', () => {
    const files = [...sourceFiles('cli'), ...sourceFiles('viewer/src')];
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => sqlOutsideStore(f, readFileSync(join(root, f), 'utf8')))).toEqual(
      [],
    );
  });
});
