// Rows gathered and inserted with multi-row INSERT statements: one statement step for many rows
// instead of one per row. A second of 40 series is two steps (32 + 8 rows), not 40; that cuts
// the per-row cost of crossing into SQLite by about a quarter of the whole insert time.

import type { Statement } from 'better-sqlite3';
import type { Db } from './sqlite.js';

/** Rows per statement, largest first; any count is a sum of these (binary), so few steps. */
const CHUNKS = [128, 64, 32, 16, 8, 4, 2, 1] as const;

export class BatchInsert {
  private readonly statements = new Map<number, Statement>();
  /** Bound values of the pending rows, row after row. */
  private readonly values: unknown[] = [];

  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {}

  /** Queues one row (one value per column, in order). */
  add(...row: unknown[]): void {
    for (const v of row) this.values.push(v);
  }

  /** Inserts every queued row (call inside the transaction they belong to). */
  flush(): void {
    const width = this.columns.length;
    let at = 0;
    let rows = this.values.length / width;
    try {
      for (const chunk of CHUNKS) {
        while (rows >= chunk) {
          this.statement(chunk).run(
            at === 0 && rows === chunk ? this.values : this.values.slice(at, at + chunk * width),
          );
          at += chunk * width;
          rows -= chunk;
        }
      }
    } finally {
      this.values.length = 0; // a failed insert rolls its transaction back: its rows must not linger
    }
  }

  /** Drops queued rows (after a failed transaction). */
  clear(): void {
    this.values.length = 0;
  }

  private statement(rows: number): Statement {
    let s = this.statements.get(rows);
    if (!s) {
      const row = `(${this.columns.map(() => '?').join(', ')})`;
      s = this.db.prepare(
        `INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`,
      );
      this.statements.set(rows, s);
    }
    return s;
  }
}
