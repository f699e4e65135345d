// One line of `npm run bench`: a measured figure beside the baseline measured in the same run.

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The same work done the plain way, measured in the same run. */
  baseline?: number;
  baselineName?: string;
  /** What the figure should meet, as text (e.g. "ratio >= 0.5"). */
  target?: string;
  /** Whether the target is met, when there is one. */
  met?: boolean;
}

/** Prints rows as an aligned table. */
export function printBenchRows(title: string, rows: BenchRow[]): void {
  console.log(`\n## ${title}`);
  const fmt = (v: number | undefined) =>
    v === undefined ? '' : v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3);
  const table = rows.map((r) => ({
    figure: r.name,
    value: `${fmt(r.value)} ${r.unit}`,
    baseline:
      r.baseline === undefined
        ? ''
        : `${fmt(r.baseline)} ${r.unit} (${r.baselineName ?? 'baseline'})`,
    ratio: r.baseline ? (r.value / r.baseline).toFixed(2) : '',
    target: r.target ? `${r.target} ${r.met === undefined ? '' : r.met ? 'met' : 'NOT MET'}` : '',
  }));
  console.table(table);
}
