// What building and loading our libdtrace binding needs, and where each piece is looked for:
// DTrace's consumer headers, libdtrace itself, and the built addon. Shared by the build step
// (libdtrace-addon/build-addon.ts) and the loader (libdtrace-binding.ts), so both name the same gap.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../package-root.js';

/** The built addon, copied here by `npm run build:libdtrace`; HEAT_LIBDTRACE_ADDON names another. */
export const ADDON_PATH =
  process.env.HEAT_LIBDTRACE_ADDON ?? packagePath('dist/libdtrace/heat_libdtrace.node');
/** Linux DTrace's consumer headers (dtrace.h needs sys/ctf-api.h, dtrace/*.h and config.h from here). */
export const LINUX_PRIVATE_HEADERS = process.env.DTRACE_INCLUDE ?? '/usr/include/dtrace-private';
const HEADER = '/usr/include/dtrace.h';
const LIBRARY_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/usr/local/lib',
  '/lib/x86_64-linux-gnu',
];

export const GET_DTRACE_HINT =
  process.platform === 'linux'
    ? 'install Oracle Linux DTrace with its consumer headers (the dtrace-utils and dtrace-utils-devel packages, or built from source: github.com/oracle/dtrace-utils), then npm run build:libdtrace; or use --tracer dtrace'
    : 'DTrace is built into illumos, macOS and FreeBSD: install the system headers (/usr/include/dtrace.h), then npm run build:libdtrace; or use --tracer dtrace';

/** The first missing piece for building the addon, as "no <what> (<where>)", or null when all are there. */
export function missingBuildPrerequisite(): string | null {
  if (!existsSync(HEADER)) return `no DTrace consumer header (${HEADER})`;
  if (
    process.platform === 'linux' &&
    !existsSync(join(LINUX_PRIVATE_HEADERS, 'sys', 'ctf-api.h'))
  ) {
    return `no Linux DTrace consumer headers in ${LINUX_PRIVATE_HEADERS} (make install does not ship them)`;
  }
  if (!libdtraceInstalled())
    return `no libdtrace.so (looked in ${LIBRARY_DIRS.slice(0, 3).join(', ')} and the ldconfig cache)`;
  return null;
}

function libdtraceInstalled(): boolean {
  if (LIBRARY_DIRS.some((dir) => existsSync(join(dir, 'libdtrace.so')))) return true;
  try {
    return /\blibdtrace\.so\b/.test(
      execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
  } catch {
    return false; // no ldconfig (macOS): the folders above were the places to look
  }
}
