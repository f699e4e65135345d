// Time on the x axis: recording seconds as relative labels ("+1m30s") and wall-clock labels
// ("03:04:05"), and tick steps that land on round seconds, minutes and hours.

const STEPS_S = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];

/** The smallest round step (seconds) that gives at most maxTicks ticks over span seconds. */
export function timeStep(spanS: number, maxTicks: number): number {
  const wanted = spanS / Math.max(1, maxTicks);
  return STEPS_S.find((s) => s >= wanted) ?? Math.ceil(wanted / 86400) * 86400;
}

/** Multiples of the step inside [from, to]. */
export function timeTicks(fromS: number, toS: number, maxTicks: number): number[] {
  const step = timeStep(toS - fromS, maxTicks);
  const ticks: number[] = [];
  for (let t = Math.ceil(fromS / step) * step; t <= toS; t += step) ticks.push(t);
  return ticks;
}

/** Seconds since the start as "+0s", "+45s", "+1m30s", "+2h05m". */
export function formatRelative(s: number): string {
  const sign = s < 0 ? '-' : '+';
  let rest = Math.round(Math.abs(s));
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const sec = rest - m * 60;
  if (h > 0)
    return `${sign}${h}h${String(m).padStart(2, '0')}m${sec ? `${String(sec).padStart(2, '0')}s` : ''}`;
  if (m > 0) return `${sign}${m}m${sec ? `${String(sec).padStart(2, '0')}s` : ''}`;
  return `${sign}${sec}s`;
}

/** A duration in seconds as "1h 02m 03s" for the details panel. */
export function formatDuration(s: number): string {
  return formatRelative(s)
    .slice(1)
    .replace(/(\d)([hms])(?=\d)/g, '$1$2 ');
}

/** Wall clock "HH:MM:SS" of Unix ms, in local time or UTC. */
export function formatClock(ms: number, utc = false): string {
  const d = new Date(ms);
  const parts = utc
    ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getHours(), d.getMinutes(), d.getSeconds()];
  return parts.map((p) => String(p).padStart(2, '0')).join(':');
}

/** Full date and time "2026-01-02 03:04:05" of Unix ms (local time or UTC). */
export function formatDateTime(ms: number, utc = false): string {
  const d = new Date(ms);
  const date = utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate()];
  return `${date.map((p, i) => String(p).padStart(i === 0 ? 4 : 2, '0')).join('-')} ${formatClock(ms, utc)}`;
}
