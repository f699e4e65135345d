import { describe, expect, it } from 'vitest';
import {
  ALL_KEYS,
  decodeSelection,
  encodeSelection,
  exclude,
  include,
  includedIds,
  isolate,
} from '../../../viewer/src/model/key-selection.js';
import {
  formatClock,
  formatDuration,
  formatRelative,
  timeStep,
  timeTicks,
} from '../../../viewer/src/model/time-format.js';
import {
  formatBucketBounds,
  formatCount,
  formatValue,
} from '../../../viewer/src/model/value-format.js';
import { linearTicks, logTicks, niceStep } from '../../../viewer/src/model/value-ticks.js';

describe('value labels', () => {
  it('rescales to the largest time unit reached', () => {
    expect(formatValue(1536, 'us')).toBe('1.54 ms');
    expect(formatValue(999, 'us')).toBe('999 µs');
    expect(formatValue(0.5, 'us')).toBe('500 ns');
    expect(formatValue(2e9, 'ns')).toBe('2 s');
    expect(formatValue(0, 'us')).toBe('0 µs');
    expect(formatValue(12_345, 'count')).toBe('12.3k');
    expect(formatCount(1_234_567)).toBe('1,234,567');
  });

  it('writes a bucket as a range in the best unit for each end, up to where it stops', () => {
    expect(formatBucketBounds(524_288, 1_048_575, 'us')).toBe('524 ms – 1.05 s');
    expect(formatBucketBounds(512, 1023, 'us')).toBe('512 µs – 1.02 ms');
    expect(formatBucketBounds(1024, 2047, 'us')).toBe('1.02 ms – 2.05 ms');
    expect(formatBucketBounds(2, 3, 'us')).toBe('2 µs – 4 µs');
    expect(formatBucketBounds(100, 999, 'us')).toBe('100 µs – 1 ms');
    expect(formatBucketBounds(500_000, 999_999, 'us')).toBe('500 ms – 1 s');
    expect(formatBucketBounds(1_073_741_824, 2_147_483_647, 'ns')).toBe('1.07 s – 2.15 s');
    expect(formatBucketBounds(0, 9, 'ms')).toBe('0 ms – 10 ms');
    expect(formatBucketBounds(4096, 8191, 'count')).toBe('4,096 – 8,192');
    expect(formatBucketBounds(16_384, 32_767, 'count')).toBe('16.4k – 32.8k');
  });

  it('writes one-value buckets as the value, open ends as such', () => {
    expect(formatBucketBounds(0, 0, 'ns')).toBe('0 ns');
    expect(formatBucketBounds(1, 1, 'us')).toBe('1 µs');
    expect(formatBucketBounds(null, -1, 'us')).toBe('< 0 µs');
    expect(formatBucketBounds(null, 999, 'us')).toBe('< 1 ms');
    expect(formatBucketBounds(100, null, 'count')).toBe('≥ 100');
    expect(formatBucketBounds(2_000_000, null, 'us')).toBe('≥ 2 s');
    expect(formatBucketBounds(null, null, 'us')).toBe('any value in µs');
  });
});

describe('latency ticks', () => {
  it('puts log ticks on decades, with 2 and 5 when there are few', () => {
    expect(logTicks(0, 128)).toEqual([0, 1, 10, 100]);
    expect(logTicks(1, 60)).toEqual([1, 2, 5, 10, 20, 50]);
    expect(logTicks(4, 1_048_576)).toEqual([10, 100, 1000, 10_000, 100_000, 1_000_000]);
  });

  it('puts linear ticks on 1-2-5 steps', () => {
    expect(niceStep(95, 4)).toBe(50);
    expect(linearTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(linearTicks(-0.3, 0.3, 3)).toEqual([-0.2, 0, 0.2]);
  });
});

describe('time labels', () => {
  it('steps on round seconds, minutes and hours', () => {
    expect(timeStep(3600, 10)).toBe(600);
    expect(timeStep(64, 8)).toBe(10);
    expect(timeTicks(95, 160, 4)).toEqual([120, 150]);
    expect(timeTicks(95, 160, 7)).toEqual([100, 110, 120, 130, 140, 150, 160]);
  });

  it('writes relative time, durations and clocks', () => {
    expect([0, 45, 90, 3600, 3725].map(formatRelative)).toEqual([
      '+0s',
      '+45s',
      '+1m30s',
      '+1h00m',
      '+1h02m05s',
    ]);
    expect(formatDuration(3725)).toBe('1h 02m 05s');
    expect(formatClock(Date.UTC(2026, 0, 2, 3, 4, 5), true)).toBe('03:04:05');
  });
});

describe('key selection', () => {
  const all = [1, 2, 3, 4, 5];

  it('keeps the shorter list', () => {
    expect(isolate([2], all)).toEqual({ mode: 'only', ids: [2] });
    expect(isolate([1, 2, 3, 4], all)).toEqual({ mode: 'except', ids: [5] });
    expect(exclude(ALL_KEYS, [3], all)).toEqual({ mode: 'except', ids: [3] });
    expect(include({ mode: 'except', ids: [3] }, [3], all)).toEqual(ALL_KEYS);
    expect(includedIds({ mode: 'except', ids: [3, 5] }, all)).toEqual([1, 2, 4]);
    expect(isolate([], all)).toEqual({ mode: 'only', ids: [] });
  });

  it('round-trips through the URL hash, and reads junk as all keys', () => {
    for (const sel of [
      ALL_KEYS,
      { mode: 'only' as const, ids: [2, 4] },
      { mode: 'except' as const, ids: [1] },
    ]) {
      expect(decodeSelection(encodeSelection(sel), all)).toEqual(sel);
    }
    expect(decodeSelection('only:x', all)).toEqual(ALL_KEYS);
  });
});
