// DtraceTextParser against every real dtrace(1) output in fixtures/dtrace-real (expected values
// from its README) and the layout samples in fixtures/dtrace-layout. Each file is also fed in
// 1- and 13-character chunks, which must give the same events.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HeatError } from '../../cli/model/heat-error.js';
import type { Bucket, Histogram } from '../../cli/model/snapshot.js';
import {
  DtraceTextParser,
  isDtraceText,
  type DtraceTextOptions,
} from '../../cli/parse/dtrace-text.js';
import { assertNotZoomed } from '../../cli/parse/dtrace-layout.js';
import type { DtraceRow } from '../../cli/parse/dtrace-rows.js';
import { IntervalAssembler } from '../../cli/parse/interval-assembler.js';
import type { TraceEvent } from '../../cli/parse/trace-event.js';
import { buckets } from '../helpers/buckets.js';

const fixture = (dir: string, name: string) =>
  readFileSync(new URL(`../fixtures/${dir}/${name}`, import.meta.url), 'utf8');

function parseInChunks(text: string, size: number, options?: DtraceTextOptions): TraceEvent[] {
  const parser = new DtraceTextParser(options);
  const events: TraceEvent[] = [];
  for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
  return [...events, ...parser.end()];
}

/** The file's events, parsed whole and in 1- and 13-character chunks (which must agree). */
function parseFile(name: string, options?: DtraceTextOptions, dir = 'dtrace-real'): TraceEvent[] {
  const text = fixture(dir, name);
  const whole = parseInChunks(text, text.length, options);
  expect(parseInChunks(text, 1, options)).toEqual(whole);
  expect(parseInChunks(text, 13, options)).toEqual(whole);
  return whole;
}

function histogramsOf(events: TraceEvent[]): Histogram[] {
  expect(events.filter((e) => e.type === 'skipped')).toEqual([]);
  return events.flatMap((e) => (e.type === 'histogram' ? [e.histogram] : []));
}

const tables = (name: string, options?: DtraceTextOptions, dir?: string) =>
  histogramsOf(parseFile(name, options, dir));

type Num = number | string | bigint;
/** One bucket per value with the same count: [v, v + width - 1]. */
function run(from: number, to: number, step: number, width: number, count: Num): Bucket[] {
  const out: Bucket[] = [];
  for (let v = from; v <= to; v += step) out.push(...buckets([v, v + width - 1, count]));
  return out;
}

function expectRejected(name: string, option: string, line: number): void {
  const text = fixture('dtrace-real', name);
  for (const size of [text.length, 1, 13]) {
    const attempt = () => parseInChunks(text, size);
    expect(attempt).toThrow(HeatError);
    expect(attempt).toThrow(`DTrace output line ${line} is drawn with the ${option} option`);
  }
}

describe('DtraceTextParser on dtrace-utils test outputs', () => {
  it('tst.lquantize: 10 tables keyed by D int, one 100-wide bucket each', () => {
    const hs = tables('dtrace-utils-aggs-tst.lquantize.txt', { aggregations: ['@a'] });
    expect(hs.map((h) => h.key)).toEqual(
      ['0', '100', '200', '300', '400', '500', '600', '700', '800', '900'].map((k) => [k]),
    );
    for (const h of hs) {
      const k = Number(h.key[0]);
      expect(h).toEqual({
        aggregation: '@a',
        key: [String(k)],
        scheme: 'linear',
        buckets: buckets([k, k + 99, 1]),
      });
    }
  });

  it('tst.neglquant: negative and 2^63-scale counts, all-zero table, string keys in printed order', () => {
    const hs = tables('dtrace-utils-aggs-tst.neglquant.txt');
    expect(hs.map((h) => h.key[0])).toEqual([
      'k-ingleside',
      'j-church',
      'l-taraval',
      'n-judah',
      'm-oceanview',
      's-castro',
      'f-market',
    ]);
    // `0, 1, 2` fits quantize as well as lquantize step 1: quantize wins, the bucket is [1, 1] either way.
    expect(hs[0]).toEqual({
      aggregation: '@',
      key: ['k-ingleside'],
      scheme: 'log2',
      buckets: buckets([1, 1, -123]),
    });
    expect(hs[1]!.buckets).toEqual([]);
    expect(hs[2]).toMatchObject({
      scheme: 'linear',
      buckets: buckets([null, -1, -123], [0, 0, -123], [1, 1, 246]),
    });
    expect(hs[3]).toMatchObject({ scheme: 'linear', buckets: buckets([1, 1, 123], [2, 2, 247]) });
    expect(hs[4]!.buckets).toEqual(
      buckets([1, 1, '-9223372036854775808'], [2, 2, '9223372036854775807'], [8, 8, 400000]),
    );
    const fractions = [
      '4611686018427387903',
      '3074457345618258602',
      '2305843009213693951',
      '1844674407370955161',
      '1537228672809129301',
      '1317624576693539401',
    ];
    const tail = fractions.map((c, i) => [i + 2, i + 2, c] as [number, number, string]);
    expect(hs[5]!.buckets).toEqual(buckets([1, 1, '9223372036854775801'], ...tail));
    expect(hs[6]!.buckets).toEqual(buckets([1, 1, '9223372036854775807'], ...tail));
  });

  it('tst.allquant: 127 quantize rows up to ±2^62, labels wider than their column', () => {
    const [h, ...rest] = tables('dtrace-utils-aggs-tst.allquant.txt');
    expect(rest).toEqual([]);
    const negative: Bucket[] = [];
    const positive: Bucket[] = [];
    for (let k = 61n; k >= 2n; k--)
      negative.push(...buckets([-(1n << (k + 1n)) + 1n, -(1n << k), 2]));
    for (let k = 2n; k <= 61n; k++) positive.push(...buckets([1n << k, (1n << (k + 1n)) - 1n, 2]));
    expect(h!.scheme).toBe('log2');
    expect(h!.key).toEqual([]);
    // The outermost buckets also hold everything beyond ±2^62 (INT64_MIN included), so they are open.
    expect(h!.buckets).toEqual([
      ...buckets([null, '-4611686018427387904', 5]),
      ...negative,
      ...buckets([-3, -2, 3], [-1, -1, 1], [1, 1, 1], [2, 3, 3]),
      ...positive,
      ...buckets(['4611686018427387904', null, 3]),
    ]);
    expect(h!.buckets.reduce((sum, x) => sum + x.count, 0n)).toBe(256n);
  });

  it('tst.clearlquantize: alternating printa(@a) / printa(@b) are named in printa order', () => {
    const hs = tables('dtrace-utils-aggs-tst.clearlquantize.txt', { aggregations: ['@a', '@b'] });
    expect(hs.map((h) => `${h.aggregation}[${h.key.join()}] ${h.scheme}`)).toEqual(
      Array.from({ length: 5 }, () => ['@a[linear] linear', '@b[exp] log2']).flat(),
    );
    expect(hs.filter((_, i) => i % 2 === 0).map((h) => h.buckets)).toEqual(
      [1, 6, 11, 16, 21].map((v) => run(v, v + 4, 1, 1, 1)),
    );
    expect(hs.filter((_, i) => i % 2 === 1).map((h) => h.buckets)).toEqual([
      buckets([1, 1, 1], [2, 3, 2], [4, 7, 2]),
      buckets([4, 7, 2], [8, 15, 3]),
      buckets([8, 15, 5]),
      buckets([16, 31, 5]),
      buckets([16, 31, 5]),
    ]);
  });

  it('tst.llquantize: dtrace-utils zero bucket and steps of 1, 5 and 50', () => {
    const [h] = tables('dtrace-utils-aggs-tst.llquantize.txt');
    expect(h!.scheme).toBe('log-linear');
    expect(h!.buckets).toEqual([
      ...run(0, 9, 1, 1, 1),
      ...run(10, 95, 5, 5, 5),
      ...run(100, 950, 50, 50, 50),
      ...buckets([1000, 1499, 500]),
    ]);
  });

  it('tst.llquantize_basic: <= -N, abs() < N and negative buckets that reach down to the row before', () => {
    const names = [
      'basicA',
      'basicB',
      'basicC',
      'basicD',
      'zero',
      'zeroB',
      'posvals',
      'negvals',
      'allvals',
      'singlerangeA',
      'singlerangeB',
      'straightlog',
      'shift',
      'ghostbin',
    ];
    const hs = tables('dtrace-utils-aggs-tst.llquantize_basic.txt', {
      aggregations: names.map((n) => `@${n}`),
    });
    expect(hs.map((h) => h.aggregation)).toEqual(names.map((n) => `@${n}`));
    expect(hs.every((h) => h.key.length === 0)).toBe(true);
    const [
      basicA,
      basicB,
      basicC,
      basicD,
      zero,
      zeroB,
      posvals,
      negvals,
      allvals,
      rangeA,
      rangeB,
      straightlog,
      shift,
      ghostbin,
    ] = hs;
    expect(basicA).toMatchObject({
      scheme: 'log-linear',
      buckets: buckets(
        [null, -16, 164],
        [-15, -8, 180],
        [-7, -4, 285],
        [-3, -2, 195],
        [-1, -1, 99],
        [0, 0, 100],
        [1, 1, 101],
        [2, 3, 205],
        [4, 7, 315],
        [8, 15, 220],
        [16, null, 236],
      ),
    });
    expect(basicB!.buckets).toEqual(
      buckets(
        [null, -16, 164],
        [-15, -12, 88],
        [-11, -8, 92],
        [-7, -4, 285],
        [-3, -3, 97],
        [-2, -2, 98],
        [-1, -1, 99],
        [0, 0, 100],
        [1, 1, 101],
        [2, 2, 102],
        [3, 3, 103],
        [4, 7, 315],
        [8, 11, 108],
        [12, 15, 112],
        [16, null, 236],
      ),
    );
    expect(basicC!.buckets).toEqual(
      buckets(
        [null, -16, 164],
        [-13, -12, 88],
        [-9, -8, 92],
        [-7, -6, 94],
        [-5, -4, 191],
        [-3, -3, 97],
        [-2, -2, 98],
        [-1, -1, 99],
        [0, 0, 100],
        [1, 1, 101],
        [2, 2, 102],
        [3, 3, 103],
        [4, 5, 209],
        [6, 7, 106],
        [8, 9, 108],
        [12, 13, 112],
        [16, null, 236],
      ),
    );
    const mirrored: [number, number, number][] = [
      [-16383, -15872, 8],
      [-10239, -9728, 16],
      [-9727, -9216, 96],
      [-9215, -8704, 384],
      [-8703, -8192, 1536],
      [-8191, -7680, 1024],
      [-5119, -4608, 6144],
      [-2687, -2560, 2048],
      [-2559, -2432, 4096],
      [-1151, -1024, 2048],
      [-383, -352, 1024],
      [-351, -320, 512],
      [-287, -256, 256],
    ];
    const positives = mirrored
      .map(([lo, hi, c]) => [-hi, -lo, c] as [number, number, number])
      .reverse();
    expect(basicD!.buckets).toEqual(
      buckets([null, -16384, 6], ...mirrored, [-255, 255, 130], ...positives, [16384, null, 6]),
    );
    expect([zero!.buckets, zeroB!.buckets]).toEqual([[], []]);
    expect(posvals!.buckets).toEqual(buckets([1, 1, 1]));
    expect(negvals).toMatchObject({ scheme: 'log-linear', buckets: buckets([2, 3, -1]) });
    expect(allvals!.buckets).toEqual(buckets([1, 1, 1], [2, 3, -1]));
    const single = buckets(
      [null, -4, 96],
      [-3, -3, 97],
      [-2, -2, 98],
      [-1, -1, 99],
      [0, 0, 100],
      [1, 1, 101],
      [2, 2, 102],
      [3, 3, 103],
      [4, null, 104],
    );
    expect([rangeA!.buckets, rangeB!.buckets]).toEqual([single, single]);
    expect(straightlog!.buckets).toEqual(
      buckets(
        [null, -10000, 200316],
        [-9999, -1000, 100308],
        [-999, -100, 100408],
        [-99, -10, 100508],
        [-9, -1, 100608],
        [0, 0, 100708],
        [1, 9, 100808],
        [10, 99, 100908],
        [100, 999, 101008],
        [1000, 9999, 101108],
        [10000, null, 202516],
      ),
    );
    expect(shift!.buckets).toEqual(buckets([-3, -2, 1], [2, 3, 1]));
    expect(ghostbin!.buckets).toEqual(buckets([-1, -1, 1], [1, 1, 1]));
  });

  it('tst.llquantize_sort: 22 tables of two aggregations after printf labels', () => {
    const hs = tables('dtrace-utils-aggs-tst.llquantize_sort.txt', {
      aggregations: ['@normal', '@tricky'],
    });
    const order = [
      'z',
      'x',
      'y',
      'w',
      'v',
      't',
      'u',
      's',
      'q',
      'r',
      'p',
      'z',
      'y',
      'x',
      'w',
      'v',
      't',
      'u',
      's',
      'r',
      'q',
      'p',
    ];
    expect(hs.map((h) => h.key[0])).toEqual(order);
    expect(hs.map((h) => h.aggregation)).toEqual([
      ...Array(11).fill('@normal'),
      ...Array(11).fill('@tricky'),
    ]);
    expect(hs.map((h) => h.buckets)).toEqual([
      buckets([null, -4, 1]),
      buckets([-3, -2, 1]),
      buckets([-3, -2, 1]),
      buckets([-1, -1, 1]),
      buckets([0, 0, 1]),
      buckets([0, 0, 2]),
      buckets([0, 0, 2]),
      buckets([1, 1, 1]),
      buckets([2, 3, 1]),
      buckets([2, 3, 1]),
      buckets([4, null, 1]),
      buckets([null, -4, 1]),
      buckets([-3, -3, 1]),
      buckets([-2, -2, 1]),
      buckets([-1, -1, 1]),
      buckets([0, 0, 1]),
      buckets([0, 0, 2]),
      buckets([0, 0, 2]),
      buckets([1, 1, 1]),
      buckets([2, 2, 1]),
      buckets([3, 3, 1]),
      buckets([4, null, 1]),
    ]);
  });

  it('tst.llquantsortsum: negative weights, tables in printed order', () => {
    const hs = tables('dtrace-utils-aggs-tst.llquantsortsum.txt');
    expect(hs.map((h) => [h.key[0], h.buckets])).toEqual([
      ['Moe', buckets([2, 2, -50])],
      ['Larry', buckets([1, 1, -25])],
      ['Curly', buckets([4, 4, 25])],
      ['Shemp', buckets([3, 3, 50])],
    ]);
  });

  it('tst.lquantrange: < -10 and >= 10 rows', () => {
    const hs = tables('dtrace-utils-aggs-tst.lquantrange.txt');
    expect(hs.map((h) => [h.key[0], h.scheme, h.buckets])).toEqual([
      ['Hoover', 'linear', buckets([10, null, -100])],
      ['Nixon', 'linear', buckets([null, -11, 25])],
      ['Harding', 'linear', buckets([-10, -10, 15])],
      ['Bush', 'linear', buckets([10, null, 150])],
    ]);
  });

  it('tst.multiaggs2: scalars run together before two keyless tables of an exit dump', () => {
    const hs = tables('dtrace-utils-aggs-tst.multiaggs2.txt');
    expect(hs.map((h) => [h.aggregation, h.key, h.scheme])).toEqual([
      ['@', [], 'log2'],
      ['@', [], 'linear'],
    ]);
    expect(hs[0]!.buckets).toEqual(
      buckets([0, 0, 1], [64, 127, 1], [128, 255, 1], [256, 511, 3], [512, 1023, 4]),
    );
    expect(hs[1]!.buckets).toEqual(run(0, 900, 100, 100, 1));
  });

  it('tst.negorder: 48 tables with negative weights, named through printf headings', () => {
    const hs = tables('dtrace-utils-aggs-tst.negorder.txt', {
      aggregations: ['@quanty', '@lquanty'],
    });
    const keys = [
      2, 4, 6, 8, 10, 12, 1, 3, 5, 7, 9, 11, 14, 16, 18, 20, 22, 24, 13, 15, 17, 19, 21, 23,
    ].map(String);
    const weights = [
      -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ];
    expect(hs).toHaveLength(48);
    for (const [half, name] of [
      [0, '@quanty'],
      [24, '@lquanty'],
    ] as const) {
      expect(hs.slice(half, half + 24)).toEqual(
        keys.map((k, i) => ({
          aggregation: name,
          key: [k],
          scheme: 'log2',
          buckets: buckets([1, 1, weights[i]!]),
        })),
      );
    }
  });

  it('tst.quantlast: the top quantize bucket 2^62 is open-ended', () => {
    expect(tables('dtrace-utils-aggs-tst.quantlast.txt')).toEqual([
      {
        aggregation: '@',
        key: [],
        scheme: 'log2',
        buckets: buckets(['4611686018427387904', null, 1234]),
      },
    ]);
  });

  it('tst.quantround: zero bucket and rounded bars', () => {
    expect(tables('dtrace-utils-aggs-tst.quantround.txt').map((h) => h.buckets)).toEqual([
      buckets([0, 0, 2], [1, 1, 6], [2, 3, 19]),
    ]);
  });

  it('tst.reset: five printa rounds of scalars and one table; the scalars take no name', () => {
    const hs = tables('dtrace-utils-aggs-tst.reset.txt', { aggregations: ['@e'] });
    expect(hs).toEqual(
      Array(5).fill({
        aggregation: '@e',
        key: [],
        scheme: 'log2',
        buckets: buckets([8, 15, 1], [16, 31, 2], [32, 63, 2]),
      }),
    );
  });

  it('tst.trunc-lquantize-5: integer keys, 4 one-wide buckets each', () => {
    const hs = tables('dtrace-utils-aggs-tst.trunc-lquantize-5.txt');
    expect(hs.map((h) => h.key)).toEqual([['195'], ['196'], ['197'], ['198'], ['199'], ['301']]);
    expect(hs.slice(0, 5).map((h) => h.buckets)).toEqual(
      [0, 1, 2, 3, 4].map((k) => run(96 + k, 99 + k, 1, 1, 10095 + k)),
    );
    expect(hs[5]).toMatchObject({ scheme: 'linear', buckets: run(102, 105, 1, 1, 20101) });
  });

  it('tst.zero2: formatted multi-aggregation printa, keys split into elements, all-zero tables', () => {
    const hs = tables('dtrace-utils-multiaggs-tst.zero2.txt');
    const k345 = ['345', '0', '0'];
    const k456 = ['456', '0', '456'];
    const k123 = ['123', '123', '0'];
    const k789 = ['789', '789', '789'];
    expect(hs.map((h) => h.key)).toEqual([
      k345,
      k456,
      k123,
      k789,
      k345,
      [],
      k456,
      [],
      k123,
      [],
      k789,
      [],
    ]);
    expect(hs.map((h) => h.scheme)).toEqual([
      'log2',
      'log2',
      'log2',
      'log2',
      'log2',
      'linear',
      'log2',
      'linear',
      'log2',
      'linear',
      'log2',
      'linear',
    ]);
    expect(hs.every((h) => h.buckets.length === 0)).toBe(true);
  });

  it('printa/tst.basics: tables after "@c = " format text take it as their key', () => {
    const hs = tables('dtrace-utils-printa-tst.basics.txt');
    expect(hs.map((h) => [h.key, h.scheme, h.buckets])).toEqual([
      [['@c ='], 'linear', buckets([1, 1, 1])],
      [['@g ='], 'log2', buckets([1, 1, 1])],
      [['@h ='], 'log-linear', buckets([200, 399, 8])],
    ]);
  });

  it('intro/countdown-quant: probe lines and harness stderr around two string-keyed tables', () => {
    const hs = tables('dtrace-utils-intro-countdown-quant.txt', {
      aggregations: ['@quant', '@lquant'],
    });
    expect(hs.map((h) => [h.aggregation, h.key, h.scheme])).toEqual([
      ['@quant', ['quantized countdown'], 'log2'],
      ['@quant', ['linear quantized countdown'], 'linear'],
    ]);
    expect(hs[0]!.buckets).toEqual(
      buckets([0, 0, 1], [2, 3, 1], [4, 7, 2], [8, 15, 4], [16, 31, 2]),
    );
    expect(hs[1]!.buckets).toEqual(run(0, 18, 2, 1, 1));
  });

  it('tst.quantzero: 24 integer-keyed tables with only a zero bucket', () => {
    const hs = tables('dtrace-utils-aggs-tst.quantzero.txt');
    const keys = [
      2, 4, 6, 8, 10, 12, 1, 3, 5, 7, 9, 11, 14, 16, 18, 20, 22, 24, 13, 15, 17, 19, 21, 23,
    ].map(String);
    const weights = [
      -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ];
    expect(hs.map((h) => [h.key[0], h.buckets])).toEqual(
      keys.map((k, i) => [k, buckets([0, 0, weights[i]!])]),
    );
  });

  it.each([
    'dtrace-utils-aggs-tst.clear.txt',
    'dtrace-utils-aggs-tst.signedkeys.txt',
    'dtrace-utils-aggs-tst.signedkeyspos.txt',
  ])('%s: scalar aggregations only, nothing to record', (name) => {
    expect(parseFile(name)).toEqual([]);
  });
});

describe('DtraceTextParser on illumos test outputs', () => {
  it('llquantize/tst.basic: illumos < 1 underflow row and steps of 1, 10, 100', () => {
    const [h] = tables('illumos-llquantize-tst.basic.txt');
    expect(h).toMatchObject({ key: [], scheme: 'log-linear' });
    expect(h!.buckets).toEqual([
      ...run(1, 9, 1, 1, 1),
      ...run(10, 90, 10, 10, 10),
      ...buckets([100, 199, 2]),
    ]);
  });

  it('llquantize/tst.negvalue: mixed-sign bars', () => {
    const [h] = tables('illumos-llquantize-tst.negvalue.txt');
    const ones = [49, 48, 47, 46, 45, 44, 43, 42, 41].map(
      (c, i) => [i + 1, i + 1, c] as [number, number, number],
    );
    const tens = [355, 255, 155, 55, -45, -145, -245, -345, -445].map(
      (c, i) => [10 * (i + 1), 10 * (i + 1) + 9, c] as [number, number, number],
    );
    expect(h!.buckets).toEqual(buckets(...ones, ...tens, [100, 199, -101]));
    expect(h!.buckets.reduce((sum, x) => sum + x.count, 0n)).toBe(-101n);
  });

  it('llquantize/tst.multiaggs: a count line follows a table with no blank line', () => {
    const hs = tables('illumos-llquantize-tst.multiaggs.txt');
    expect(hs.map((h) => [h.key, h.buckets])).toEqual([
      [['spaces'], []],
      [['tabs'], buckets([10000, 14999, 1])],
    ]);
  });

  it('aggs/tst.multiaggs3: %@d tables after unpadded scalars', () => {
    const hs = tables('illumos-aggs-tst.multiaggs3.txt');
    expect(hs.map((h) => [h.key, h.scheme])).toEqual([
      [[], 'linear'],
      [[], 'log2'],
    ]);
    expect(hs[0]!.buckets).toEqual(run(0, 900, 100, 100, 1));
    expect(hs[1]!.buckets).toEqual(
      buckets([0, 0, 1], [64, 127, 1], [128, 255, 1], [256, 511, 3], [512, 1023, 4]),
    );
  });

  it('aggs/tst.agghist: rejected at its first header', () => {
    expectRejected('illumos-aggs-tst.agghist.txt', 'agghist', 3);
  });

  it('aggs/tst.aggpackzoom: the default tables parse, then the aggpack header is rejected', () => {
    const text = fixture('dtrace-real', 'illumos-aggs-tst.aggpackzoom.txt');
    const before = text.split('\n').slice(0, 137).join('\n');
    const hs = histogramsOf(parseInChunks(before, 13));
    const expected = buckets(
      [0, 0, 1],
      ...run(1, 30, 1, 1, 1000).map((x) => [x.lo, x.hi, x.count] as [bigint, bigint, bigint]),
      [40, null, 2000],
    );
    expect(hs.map((h) => [h.key, h.buckets])).toEqual([
      [['1'], expected],
      [['2'], expected],
      [['3'], expected],
    ]);
    expectRejected('illumos-aggs-tst.aggpackzoom.txt', 'aggpack', 139);
  });

  it('aggs/tst.aggencoding: UTF-8 bars rejected at the first glyph', () => {
    expectRejected('illumos-aggs-tst.aggencoding.txt', 'encoding=utf8', 6);
  });
});

describe('DtraceTextParser on dtrace-layout samples', () => {
  it('quantize per second: four tables, two intervals once assembled', () => {
    const events = parseFile(
      'quantize-by-string.printa-per-second.txt',
      { aggregations: ['@lat_ns'] },
      'dtrace-layout',
    );
    const hs = histogramsOf(events);
    expect(hs.map((h) => [h.aggregation, h.key[0]])).toEqual([
      ['@lat_ns', 'write'],
      ['@lat_ns', 'read'],
      ['@lat_ns', 'close'],
      ['@lat_ns', 'read'],
    ]);
    expect(hs[0]!.buckets).toEqual(buckets([512, 1023, 1], [1024, 2047, 2], [2048, 4095, 3]));
    expect(hs[1]!.buckets).toEqual(
      buckets(
        [256, 511, 1],
        [512, 1023, 3],
        [1024, 2047, 3],
        [2048, 4095, 1],
        [8192, 16383, 1],
        [65536, 131071, 1],
      ),
    );
    const assembler = new IntervalAssembler();
    const intervals = [...assembler.push(events), assembler.end()];
    expect(intervals.map((i) => i?.histograms.map((h) => h.key[0]))).toEqual([
      ['write', 'read'],
      ['close', 'read'],
    ]);
  });

  it('lquantize exit dump: < 0 and >= 100 rows', () => {
    const hs = tables('lquantize-by-string.exit-dump.txt', undefined, 'dtrace-layout');
    expect(hs.map((h) => [h.key[0], h.scheme, h.buckets])).toEqual([
      ['sshd', 'linear', buckets([0, 9, 1], [10, 19, 2], [100, null, 1])],
      ['bash', 'linear', buckets([null, -1, 2], [40, 49, 3], [90, 99, 1], [100, null, 1])],
    ]);
  });

  it('llquantize printa: widths from the next row', () => {
    const [h] = tables('llquantize-by-string.printa.txt', undefined, 'dtrace-layout');
    expect(h).toEqual({
      aggregation: '@',
      key: ['nginx'],
      scheme: 'log-linear',
      buckets: buckets(
        [3, 3, 1],
        [7, 7, 1],
        [10, 19, 2],
        [50, 59, 1],
        [200, 299, 1],
        [4000, 4999, 1],
        [10000, null, 1],
      ),
    });
  });

  it('count printa: scalars only', () => {
    expect(parseFile('count-by-string.printa.txt', undefined, 'dtrace-layout')).toEqual([]);
  });
});

describe('DtraceTextParser on real Linux DTrace 2.0 per-second output (fixtures/dtrace-linux)', () => {
  const starts = (name: string) =>
    parseFile(name, undefined, 'dtrace-linux').flatMap((e) =>
      e.type === 'interval-start' ? [e.wallMs ?? null] : [],
    );

  it('a wall-clock line before each printa starts an interval at that time', () => {
    expect(starts('out-walltime.txt')).toEqual([
      1796512396000, 1796512397000, 1796512398000, 1796512399000,
    ]);
    expect(starts('out-demo2011-timestamp.txt')).toEqual([1796512574000]);
  });

  it('without wall-clock lines, a printa call (the empty line it prints first) that repeats a key starts an interval', () => {
    expect(starts('out-quantize.txt')).toEqual([null]); // line 710: the second printa
    expect(starts('out-lquantize.txt')).toEqual([null]); // line 825, though its first key (line 826) is new
    expect(starts('out-llquantize.txt')).toEqual([]);
  });

  it('two printa calls a tick with keys of their own share a second (tst.clearlquantize: 5 rounds of @a then @b)', () => {
    const assembler = new IntervalAssembler();
    const intervals = [
      ...assembler.push(parseFile('dtrace-utils-aggs-tst.clearlquantize.txt')),
      assembler.end(),
    ];
    expect(intervals.map((i) => i?.histograms.map((h) => h.key[0]))).toEqual(
      Array(5).fill(['linear', 'exp']),
    );
  });
});

describe('DtraceTextParser on markers and bad input', () => {
  const quantround = fixture('dtrace-real', 'dtrace-utils-aggs-tst.quantround.txt');

  it('turns marker lines into ticks and restarts the printa count', () => {
    const text = `${quantround}heat-tracer:tick 1000000000\n${quantround}heat-tracer:end 1500000000\n`;
    const events = parseInChunks(text, 7, { aggregations: ['@a', '@b'] });
    expect(
      events.map((e) =>
        e.type === 'histogram'
          ? e.histogram.aggregation
          : e.type === 'tick'
            ? `${e.tickNs}/${e.final}`
            : e.type,
      ),
    ).toEqual(['@a', '1000000000/false', '@a', '1500000000/true']);
  });

  it('skips a truncated row inside a table and keeps the rest', () => {
    const text = quantround.replace(/^( +4 \|) +0 +$/m, '$1    0');
    expect(text).not.toBe(quantround);
    const events = parseInChunks(text, 13);
    expect(events.filter((e) => e.type === 'skipped')).toEqual([
      { type: 'skipped', line: 8, reason: 'not a distribution row' },
    ]);
    expect(events.flatMap((e) => (e.type === 'histogram' ? e.histogram.buckets : []))).toEqual(
      buckets([0, 0, 2], [1, 1, 6], [2, 3, 19]),
    );
  });

  it('skips a row whose count does not parse and keeps reading the table (not 9 of 40 rows)', () => {
    const lines = quantround.split('\n');
    const row = lines.findIndex((l) => /^ +-1 \|/.test(l));
    lines[row] = lines[row]!.replace(/(\d+)( *)$/, '$1x$2');
    const events = parseInChunks(lines.join('\n'), 13);
    expect(events.filter((e) => e.type === 'skipped')).toEqual([
      { type: 'skipped', line: row + 1, reason: 'not a distribution row' },
    ]);
    expect(events.flatMap((e) => (e.type === 'histogram' ? e.histogram.buckets : []))).toEqual(
      buckets([0, 0, 2], [1, 1, 6], [2, 3, 19]),
    );
  });

  it('skips a row whose pipe is garbled (as wide as a row, starting with a label) and keeps reading', () => {
    const text = quantround.replace(/^( +1 )\|/m, '$1!');
    expect(text).not.toBe(quantround);
    const events = parseInChunks(text, 13);
    expect(events.filter((e) => e.type === 'skipped')).toEqual([
      { type: 'skipped', line: 6, reason: 'not a distribution row' },
    ]);
    expect(events.flatMap((e) => (e.type === 'histogram' ? e.histogram.buckets : []))).toEqual(
      buckets([0, 0, 2], [2, 3, 19]),
    );
  });

  it('skips a count or label beyond 64 bits, and a row outside any table, with their line numbers', () => {
    const big = quantround.replace(/^( +2 \|@+ +)19( *)$/m, '$19223372036854775808$2');
    expect(big).not.toBe(quantround);
    expect(parseInChunks(big, 13).filter((e) => e.type === 'skipped')).toEqual([
      { type: 'skipped', line: 7, reason: 'not a distribution row' },
    ]);
    const stray = `${quantround}\n               8 |@@@@                                     1        \n`;
    expect(parseInChunks(stray, 13).filter((e) => e.type === 'skipped')).toEqual([
      { type: 'skipped', line: 11, reason: 'a distribution row outside a table' },
    ]);
  });

  it('throws with the line number when rows do not ascend', () => {
    const lines = quantround.split('\n');
    [lines[5], lines[6]] = [lines[6]!, lines[5]!];
    expect(() => parseInChunks(lines.join('\n'), 13)).toThrow(
      'DTrace output line 7: unexpected distribution row (rows must ascend)',
    );
  });

  it('recognises aggzoom from the bar of the largest count (agghist tables of tst.agghist)', () => {
    const row = (count: number, depth: number, barLength: 40 | 20): DtraceRow => ({
      kind: 'value',
      value: 0n,
      count: BigInt(count),
      depth,
      barLength,
      line: 7,
    });
    expect(() => assertNotZoomed([row(-10, 5, 20), row(10, 5, 20), row(20, 10, 20)])).not.toThrow();
    expect(() => assertNotZoomed([row(1, 3, 40), row(5, 17, 40), row(6, 20, 40)])).not.toThrow();
    expect(() => assertNotZoomed([row(-10, 10, 20), row(10, 10, 20), row(20, 19, 20)])).toThrow(
      'line 7 is drawn with the aggzoom option',
    );
    expect(() => assertNotZoomed([row(1, 7, 40), row(5, 33, 40), row(6, 40, 40)])).toThrow(
      HeatError,
    );
    expect(() => assertNotZoomed([row(-100, 38, 40), row(-20, 8, 40), row(-5, 2, 40)])).toThrow(
      HeatError,
    );
  });
});

describe('isDtraceText', () => {
  it('says yes to DTrace tables, including layouts it then rejects', () => {
    for (const name of [
      'dtrace-utils-aggs-tst.lquantize.txt',
      'illumos-aggs-tst.agghist.txt',
      'illumos-llquantize-tst.basic.txt',
    ]) {
      expect(isDtraceText(fixture('dtrace-real', name).slice(0, 4096))).toBe(true);
    }
  });

  it('says no to bpftrace output and to DTrace output without a table', () => {
    expect(isDtraceText(fixture('bpftrace-0.17', '02-hist.txt').slice(0, 4096))).toBe(false);
    expect(isDtraceText(fixture('bpftrace-0.17', '02-hist.json').slice(0, 4096))).toBe(false);
    expect(isDtraceText(fixture('dtrace-real', 'dtrace-utils-aggs-tst.signedkeys.txt'))).toBe(
      false,
    );
  });
});
