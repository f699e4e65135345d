// `npm run build:libdtrace` (and so npm ci, through prepare -> build): builds the libdtrace binding
// with npm's own node-gyp where libdtrace and its headers are installed, and copies it to
// dist/libdtrace/. Elsewhere it prints one line and exits 0: the binding is optional.
// HEAT_REQUIRE_LIBDTRACE=1 (CI with DTrace) turns a missing prerequisite or failed build into exit 1.

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { packagePath } from '../../package-root.js';
import { ADDON_PATH, GET_DTRACE_HINT, missingBuildPrerequisite } from '../libdtrace-prerequisites.js';

const SOURCE_DIR = packagePath('cli/tracers/libdtrace-addon');
const required = process.env.HEAT_REQUIRE_LIBDTRACE === '1';

/** npm's bundled node-gyp: npm names it for scripts; else beside npm, or beside node. */
function findNodeGyp(): string | null {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath && join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? null;
}

/** Node's headers without the network: npm's nodedir setting, else the ones installed beside node. */
function nodeDir(): string | null {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

function skip(why: string): never {
  console.log(`heat-tracer: libdtrace binding not built: ${why}`);
  process.exit(required ? 1 : 0);
}

function build(): void {
  const missing = missingBuildPrerequisite();
  if (missing) skip(`${missing}; ${GET_DTRACE_HINT}`);
  const nodeGyp = findNodeGyp();
  if (!nodeGyp) skip("npm's node-gyp was not found (run this through npm: npm run build:libdtrace)");
  const dir = nodeDir();
  try {
    execFileSync(process.execPath, [nodeGyp, 'rebuild', ...(dir ? [`--nodedir=${dir}`] : [])], { cwd: SOURCE_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '');
    const line = stderr.split('\n').find((l) => /error/i.test(l)) ?? (err as Error).message;
    skip(`node-gyp failed: ${line.trim()} (see: cd ${SOURCE_DIR} && node ${nodeGyp} rebuild)`);
  }
  mkdirSync(dirname(ADDON_PATH), { recursive: true });
  // A new file renamed over the old: a running heat-record keeps its mapping of the old one intact.
  copyFileSync(join(SOURCE_DIR, 'build', 'Release', 'heat_libdtrace.node'), `${ADDON_PATH}.tmp`);
  renameSync(`${ADDON_PATH}.tmp`, ADDON_PATH);
  console.log(`heat-tracer: libdtrace binding built: ${ADDON_PATH}`);
}

build();
