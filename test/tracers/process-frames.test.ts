// The recorder's own naming of user frames (cli/tracers/process-frames.ts, elf-symbols.ts), on a
// live two-path workload: an address inside slow_path (its .symtab), inside glibc's
// clock_nanosleep (libc's .dynsym) and, with libc6-dbg installed, inside __libc_start_call_main
// (only in the detached debug file). Expected addresses come from nm and the process's own maps.

import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessFrames } from '../../cli/tracers/process-frames.js';
import { compileWorkload } from '../helpers/sleep-workload.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

/** The run-time address of `symbol` in the module at `path` of process `pid` (nm's value + 8). */
function runtimeAddress(pid: number, path: string, symbol: string, nmFlags: string[] = []): string {
  const nm = execFileSync('nm', [...nmFlags, path], { encoding: 'utf8' });
  const line = nm
    .split('\n')
    .find((l) => l.split(' ')[2]?.split('@')[0] === symbol && / [tTiW] /.test(l));
  const value = parseInt(line!.split(' ')[0]!, 16);
  const maps = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n');
  // The mapping of file offset 0: the module's load base (p_vaddr 0 for PIE and shared objects).
  const base = maps.find((l) => l.endsWith(realPath(path)) && l.split(' ')[2] === '00000000');
  return (parseInt(base!.split('-')[0]!, 16) + value + 8).toString(16);
}

const realPath = (path: string) => execFileSync('realpath', [path], { encoding: 'utf8' }).trim();

/** The libc a process maps (its path as in /proc/PID/maps). */
function libcOf(pid: number): string {
  const line = readFileSync(`/proc/${pid}/maps`, 'utf8')
    .split('\n')
    .find((l) => /\/libc\.so\.6$/.test(l));
  return line!.slice(line!.indexOf('/'));
}

/** libc's detached debug file (libc6-dbg), found by its build id as the recorder does. */
function libcDebugFile(libc: string): string | null {
  const id = /Build ID: ([0-9a-f]+)/.exec(
    execFileSync('readelf', ['-n', libc], { encoding: 'utf8' }),
  );
  const path = id && `/usr/lib/debug/.build-id/${id[1]!.slice(0, 2)}/${id[1]!.slice(2)}.debug`;
  return path && existsSync(path) ? path : null;
}

describe('naming user frames from /proc and the modules', () => {
  let workload: ChildProcessWithoutNullStreams;
  let exe: string;
  let pid: number;

  beforeAll(async () => {
    exe = compileWorkload('two-path', tmp('two-path'), ['-O1', '-fno-omit-frame-pointer']);
    workload = spawn(exe, ['1']);
    pid = workload.pid!;
    await once(workload.stdout, 'data'); // its loop is done; it lives until stdin closes
  });

  afterAll(() => workload?.stdin.end());

  it("names an address inside the workload's own function", () => {
    const frames = new ProcessFrames();
    expect(frames.name(pid, runtimeAddress(pid, exe, 'slow_path'))).toBe('slow_path');
    expect(frames.name(pid, runtimeAddress(pid, exe, 'fast_path'))).toBe('fast_path');
  });

  it("names an address inside libc's exported clock_nanosleep", () => {
    const libc = libcOf(pid);
    const address = runtimeAddress(pid, libc, 'clock_nanosleep', ['-D']);
    expect(new ProcessFrames().name(pid, address)).toMatch(/^(__)?clock_nanosleep/);
  });

  const debug = libcDebugFile('/lib/x86_64-linux-gnu/libc.so.6');
  // Outside CI a machine without libc6-dbg skips it; CI installs the package and must run it.
  it.skipIf(debug === null && !process.env.CI)(
    'names a static libc function from the detached debug file',
    () => {
      const libc = libcOf(pid);
      expect(debug, 'libc6-dbg is not installed').not.toBeNull();
      const value = execFileSync('nm', [debug!], { encoding: 'utf8' })
        .split('\n')
        .find((l) => l.endsWith(' __libc_start_call_main'))!
        .split(' ')[0]!;
      const base = readFileSync(`/proc/${pid}/maps`, 'utf8')
        .split('\n')
        .find((l) => l.endsWith(libc) && l.split(' ')[2] === '00000000')!;
      const address = (parseInt(base.split('-')[0]!, 16) + parseInt(value, 16) + 8).toString(16);
      expect(new ProcessFrames().name(pid, address)).toBe('__libc_start_call_main');
    },
  );

  // The debug file's .symtab writes versions into names (`clock_nanosleep@@GLIBC_2.17`).
  it.skipIf(debug === null && !process.env.CI)(
    'names a versioned libc function from the debug file without its version, as dtrace does',
    () => {
      expect(debug, 'libc6-dbg is not installed').not.toBeNull();
      const value = runtimeAddress(pid, libcOf(pid), 'clock_nanosleep', ['-D']);
      const offset = parseInt(
        execFileSync('nm', ['-D', '/lib/x86_64-linux-gnu/libc.so.6'], { encoding: 'utf8' })
          .split('\n')
          .find((l) => l.endsWith(' clock_nanosleep@@GLIBC_2.17'))!
          .split(' ')[0]!,
        16,
      );
      // Every name the debug file gives that address, each without its version.
      const aliases = execFileSync('nm', [debug!], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l !== '' && parseInt(l.split(' ')[0]!, 16) === offset)
        .map((l) => l.split(' ')[2]!.split('@')[0]);
      expect(aliases).toContain('clock_nanosleep');
      const name = new ProcessFrames().name(pid, value);
      expect(aliases).toContain(name);
      expect(name).not.toContain('@');
    },
  );

  it('leaves an address no file maps (the stack) unnamed, and one in a module but no function as address and module', () => {
    const maps = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n');
    const stack = maps.find((l) => l.endsWith('[stack]'))!;
    const frames = new ProcessFrames();
    expect(frames.name(pid, stack.split('-')[0]!)).toBeNull();
    // The ELF header: mapped from the executable, but no function starts before it.
    const header = maps.find((l) => l.endsWith(realPath(exe)) && l.split(' ')[2] === '00000000')!;
    const start = header.split('-')[0]!;
    expect(frames.name(pid, start)).toBe(`0x${start} (two-path)`);
  });

  it('names nothing in a process that is gone', async () => {
    const gone = spawn('true');
    const goneId = gone.pid!;
    await once(gone, 'close');
    expect(new ProcessFrames().name(goneId, '401000')).toBeNull();
  });
});
