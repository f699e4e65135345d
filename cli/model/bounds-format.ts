// Bucket bounds as people read them: "[1024, 2047] µs", "< 0", ">= 100".

import { unitLabel, type Unit } from '../../schemas/format.js';

export function formatBucket(lo: bigint | null, hi: bigint | null, unit: Unit): string {
  const u = unit === 'count' ? '' : ` ${unitLabel(unit)}`;
  if (lo === null && hi === null) return `any${u}`;
  if (lo === null) return `<= ${hi}${u}`;
  if (hi === null) return `>= ${lo}${u}`;
  return lo === hi ? `${lo}${u}` : `${lo}..${hi}${u}`;
}
