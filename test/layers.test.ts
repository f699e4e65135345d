// The layering rules of README.md's Architecture section fail on a wrong import: the real .dependency-cruiser.cjs is
// run on a throwaway tree (cli/, viewer/src/ in a temp folder, node_modules linked), so a rule that
// matches nothing — a typo in a path regex — fails here instead of passing quietly in CI.

import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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
  const result = await cruise(['cli', 'viewer', 'schemas'].filter((d) => existsSync(join(base, d))), {
    ...options,
    baseDir: base,
    validate: true,
    ruleSet: { forbidden: config.forbidden ?? [] },
  });
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('npm run lint:layers', () => {
  it('flags better-sqlite3 imported from cli/serve', async () => {
    const found = await violations('sqlite', {
      'cli/serve/peek.ts': "import Database from 'better-sqlite3';\nexport const open = (p: string) => new Database(p);\n",
    });
    expect(found).toContainEqual(expect.stringMatching(/^sqlite-only-in-store: cli\/serve\/peek\.ts → .*better-sqlite3/));
  });

  it('flags viewer/src/model importing load/', async () => {
    const found = await violations('viewer-model', {
      'viewer/src/load/source.ts': 'export const source = 1;\n',
      'viewer/src/model/grid.ts': "import { source } from '../load/source.js';\nexport const grid = source;\n",
    });
    expect(found).toContain('viewer-model-is-a-leaf: viewer/src/model/grid.ts → viewer/src/load/source.ts');
  });

  it('flags share/ importing serve/ sideways, and cli importing viewer', async () => {
    const found = await violations('sideways', {
      'cli/serve/bytes.ts': 'export const bytes = 1;\n',
      'viewer/src/model/scale.ts': 'export const scale = 2;\n',
      'cli/share/page.ts': "import { bytes } from '../serve/bytes.js';\nimport { scale } from '../../viewer/src/model/scale.js';\nexport const page = bytes + scale;\n",
    });
    expect(found).toEqual(expect.arrayContaining([
      'cli-features-not-sideways: cli/share/page.ts → cli/serve/bytes.ts',
      'cli-not-viewer: cli/share/page.ts → viewer/src/model/scale.ts',
    ]));
  });

  it('passes the same tree without the wrong import', async () => {
    const found = await violations('clean', {
      'cli/store/open.ts': "import Database from 'better-sqlite3';\nexport const open = (p: string) => new Database(p);\n",
      'cli/serve/peek.ts': "import { open } from '../store/open.js';\nexport const peek = open;\n",
    });
    expect(found).toEqual([]);
  });

  it('names only files that exist as known exceptions', () => {
    const named = [...readFileSync(configPath, 'utf8').matchAll(/'\^(cli\/[^']+)\[\.\]ts\$'/g)].map((m) => `${m[1]}.ts`);
    expect(named.length).toBeGreaterThan(0);
    for (const file of named) expect(existsSync(join(root, file)), file).toBe(true);
  });
});
