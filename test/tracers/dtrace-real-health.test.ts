// Real dtrace(1), as root: DTrace's own runtime problems land in the recording's health table,
// folded to one row per second and message shape (cli/model/health-coalescing.ts), while every
// second is still recorded. An invalid read (*(int *)0) makes one stderr error line per event,
// ~100,000 a second here; a tiny dynvarsize makes "N dynamic variable drops" lines.

import Database from 'better-sqlite3';
import { beforeAll, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { describeWithDtrace } from '../helpers/real-dtrace.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const DURATION_S = 4;
const SCRIPTS = {
  error: 'rawtp:raw_syscalls::sys_enter { @bad[cpu] = quantize(*(int *)0); }',
  drop: `#pragma D option dynvarsize=512
rawtp:raw_syscalls::sys_enter { self->ts[arg1, timestamp] = timestamp; }
rawtp:raw_syscalls::sys_exit { @n[cpu] = quantize(1); }`,
};

interface HealthRow {
  t: number | null;
  kind: string;
  count: number;
  message: string;
}

describeWithDtrace('DTrace runtime drops and errors (real Linux DTrace, root)', () => {
  const recorded = {} as Record<keyof typeof SCRIPTS, { result: CliResult; db: Database.Database }>;

  // One after the other: two dtrace runs attaching at once on a loaded 2-core machine is not what
  // this checks. A run that fails says why (its stderr) instead of leaving no file to open.
  beforeAll(async () => {
    for (const name of Object.keys(SCRIPTS) as (keyof typeof SCRIPTS)[]) {
      const path = tmp(`${name}.db`);
      const result = await runCli([
        '-o',
        path,
        '--tracer',
        'dtrace',
        '-e',
        SCRIPTS[name],
        '--unit',
        'count',
        '--duration',
        `${DURATION_S}s`,
        '--quiet',
      ]);
      if (result.code !== 0) throw new Error(`${name} run exited ${result.code}: ${result.stderr}`);
      recorded[name] = { result, db: new Database(path, { readonly: true }) };
    }
  }, 240_000);

  const health = (name: keyof typeof SCRIPTS) =>
    recorded[name].db
      .prepare('SELECT t, kind, count, message FROM health ORDER BY id')
      .all() as HealthRow[];

  it('records every second however many errors dtrace prints', () => {
    for (const { result, db } of Object.values(recorded)) {
      expect(result.code, result.stderr).toBe(0);
      expect(
        (db.prepare('SELECT t FROM second ORDER BY t').all() as { t: number }[]).map((r) => r.t),
      ).toEqual([0, 1, 2, 3]);
      expect(db.prepare('SELECT count(*) AS n FROM gaps').get()).toEqual({ n: 0 });
    }
  });

  it('stores invalid-address errors as error rows, one per second and message shape, with every line counted', () => {
    const errors = health('error').filter((h) => h.kind === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.message).toMatch(
      /^dtrace: error in dt_clause_\d+ for probe ID \d+ \(rawtp:raw_syscalls::sys_enter\): invalid address \(0x0\)/,
    );
    // Coalesced: one row per (second, shape) however many lines, and the lines are counted, not lost.
    // The last second also takes a row from each second dtrace printed past --duration (stderr
    // lags stdout under such a flood, so those hold the recorded seconds' late lines).
    const perSecond = new Map<number | null, number>();
    for (const e of errors) perSecond.set(e.t, (perSecond.get(e.t) ?? 0) + 1);
    expect([...perSecond].filter(([t, rows]) => t !== DURATION_S - 1 && rows > 1)).toEqual([]);
    expect(errors.length).toBeLessThan(2 * DURATION_S + 4);
    expect(errors.reduce((s, e) => s + e.count, 0)).toBeGreaterThan(1000);
  });

  it("stores dynamic variable drops as drop rows with dtrace's counts", () => {
    const drops = health('drop').filter((h) => h.kind === 'drop');
    expect(drops.length).toBeGreaterThan(0);
    expect(drops[0]!.message).toMatch(/^dtrace: \d+ dynamic variable drops?\b/);
    expect(drops.reduce((s, d) => s + d.count, 0)).toBeGreaterThan(100);
  });
});
