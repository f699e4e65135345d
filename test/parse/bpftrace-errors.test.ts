import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeBpftraceErrors } from '../../cli/parse/bpftrace-errors.js';
import { scriptLineCount } from '../../cli/tracers/bpftrace-program.js';
import { packageRoot } from '../../cli/package-root.js';

// Real stderr of bpftrace 0.17 for broken scripts (see the folder's README.md).
const dir = join(packageRoot(), 'test/fixtures/bpftrace-0.17/errors');
const stderr = (name: string) => readFileSync(join(dir, `${name}.stderr`), 'utf8').split('\n');
const lines = (name: string) =>
  readFileSync(join(dir, `${name}.bt`), 'utf8')
    .trimEnd()
    .split('\n').length;
const origin = (name: string, source: string) => ({
  programFile: `/tmp/bterr/${name}.bt`,
  scriptLines: lines(name),
  source,
});

describe('describeBpftraceErrors', () => {
  it("names the line of the script as the user gave it, and bpftrace's own words", () => {
    expect(describeBpftraceErrors(stderr('field'), origin('field', '-e'))).toBe(
      "line 1 of the -e program: Struct/union of type 'struct _tracepoint_syscalls_sys_exit_read' does not contain a field named 'rett'",
    );
    expect(
      describeBpftraceErrors(stderr('probe'), origin('probe', '--preset syscall-latency')),
    ).toBe('line 1 of preset syscall-latency: tracepoint not found: syscalls:sys_exit_nosuch');
    expect(describeBpftraceErrors(stderr('syntax'), origin('syntax', '-s ./slow.bt'))).toBe(
      'line 2 of ./slow.bt: syntax error, unexpected ;, expecting ) or ","',
    );
  });

  it('keeps a located warning that explains an attach error, and the error with no location', () => {
    expect(describeBpftraceErrors(stderr('kprobe'), origin('kprobe', '-e'))).toBe(
      'line 1 of the -e program: warning: vfs_read is not traceable (either non-existing, inlined, or marked as "notrace"); attaching to it will likely fail' +
        " / Error attaching probe: 'kprobe:vfs_read'",
    );
  });

  it("says an error in heat-record's completed program once, without the rewritten line it echoes", () => {
    const program = readFileSync(join(dir, 'completed-field.bt'), 'utf8');
    expect(scriptLineCount(program)).toBe(1);
    const said = describeBpftraceErrors(stderr('completed-field'), {
      programFile: '/tmp/bterr/completed-field.bt',
      scriptLines: scriptLineCount(program),
      source: '-e',
    });
    expect(said).toBe(
      "line 1 of the -e program: Struct/union of type 'struct _tracepoint_syscalls_sys_exit_read' does not contain a field named 'rett'",
    );
  });

  it("places an error past the user's lines in the part heat-record adds", () => {
    expect(
      describeBpftraceErrors(stderr('syntax'), { ...origin('syntax', '-e'), scriptLines: 1 }),
    ).toBe(
      'line 2 of the program (in the part heat-record adds): syntax error, unexpected ;, expecting ) or ","',
    );
  });

  it('returns null when stderr holds no error (only the memlock notice, or warnings)', () => {
    const notice = stderr('field')[0]!;
    expect(notice).toContain('RLIMIT_MEMLOCK');
    expect(describeBpftraceErrors([notice], origin('field', '-e'))).toBeNull();
    expect(
      describeBpftraceErrors(
        stderr('kprobe').filter((l) => !l.startsWith('ERROR: Error attaching')),
        origin('kprobe', '-e'),
      ),
    ).toBeNull();
  });
});
