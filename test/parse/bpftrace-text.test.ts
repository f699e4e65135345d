import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { HeatError } from '../../cli/model/heat-error.js';
import { histogramTotal, type Histogram } from '../../cli/model/snapshot.js';
import { BpftraceJsonParser, isBpftraceJson } from '../../cli/parse/bpftrace-json.js';
import { keyArityFromScript } from '../../cli/parse/bpftrace-keys.js';
import { BpftraceTextParser, isBpftraceText } from '../../cli/parse/bpftrace-text.js';
import { IntervalAssembler } from '../../cli/parse/interval-assembler.js';
import type { TraceEvent } from '../../cli/parse/trace-event.js';
import { bucket } from '../helpers/buckets.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const fixture = (path: string) => readFileSync(new URL(path, FIXTURES), 'utf8');
const listed = (dir: string, suffix: string) =>
  readdirSync(new URL(dir, FIXTURES))
    .filter((f) => f.endsWith(suffix))
    .map((f) => `${dir}/${f}`);

/** Feeds the text whole, or in pieces of `chunk` characters. */
function parse(
  text: string,
  chunk = text.length || 1,
  parser = new BpftraceTextParser(),
): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (let i = 0; i < text.length; i += chunk)
    events.push(...parser.push(text.slice(i, i + chunk)));
  return [...events, ...parser.end()];
}

function histograms(events: TraceEvent[]): Histogram[] {
  return events.flatMap((e) => (e.type === 'histogram' ? [e.histogram] : []));
}

/** The entries printed for one aggregation and key, in output order. */
function entries(events: TraceEvent[], aggregation: string, key: string[] = []): Histogram[] {
  return histograms(events).filter(
    (h) => h.aggregation === aggregation && h.key.join('\u0000') === key.join('\u0000'),
  );
}

/** Tables with a non-zero row per file, counted independently with a python regex pass. */
const HISTOGRAM_COUNTS: Record<string, number> = {
  'bpftrace-0.17/01-lhist.txt': 1,
  'bpftrace-0.17/02-hist.txt': 2,
  'bpftrace-0.17/03-keyed-int.txt': 11,
  'bpftrace-0.17/04-keyed-str.txt': 18,
  'bpftrace-0.17/05-multikey.txt': 84,
  'bpftrace-0.17/06-interval-print.txt': 113,
  'bpftrace-0.17/07-aggfuncs.txt': 0,
  'bpftrace-0.17/08-empty-and-zero.txt': 2,
  'bpftrace-0.17/09-hist-edges.txt': 5,
  'bpftrace-0.17/10-sigint-INT-q.txt': 1,
  'bpftrace-0.17/10-sigint-TERM-q.txt': 1,
  'bpftrace-0.17/13-key-ambiguity.txt': 0,
  'bpftrace-0.17/15-prints-without-time.txt': 4,
  'presets-equivalents/biolatency.out.txt': 3,
  'presets-equivalents/offcpu.out.txt': 44,
  'presets-equivalents/profile.out.txt': 0,
  'presets-equivalents/runqlat.out.txt': 3,
  'presets-equivalents/syscall-latency.out.txt': 99,
};

describe('every real text capture', () => {
  const files = [...listed('bpftrace-0.17', '.txt'), ...listed('presets-equivalents', '.out.txt')];

  test('the list covers every .txt fixture', () => {
    expect(files.sort()).toEqual(Object.keys(HISTOGRAM_COUNTS).sort());
  });

  test.each(files)(
    '%s: sniffed as text, nothing skipped, the expected number of histograms',
    (file) => {
      const text = fixture(file);
      expect(isBpftraceText(text.slice(0, 512))).toBe(true);
      expect(isBpftraceJson(text.slice(0, 512))).toBe(false);
      const events = parse(text);
      expect(events.filter((e) => e.type === 'skipped')).toEqual([]);
      expect(histograms(events)).toHaveLength(HISTOGRAM_COUNTS[file]!);
    },
  );

  test.each(files)(
    '%s: the same bytes in 1, 7 and 4096 character chunks give the same events',
    (file) => {
      const text = fixture(file);
      const whole = parse(text);
      expect(whole.length).toBeGreaterThan(0);
      for (const chunk of [1, 7, 4096]) expect(parse(text, chunk)).toEqual(whole);
    },
  );
});

describe('bpftrace 0.17 text captures', () => {
  test('01-lhist: "(..., 0)" → {null, -1}, "[0, 10)" → {0, 9}, "[100, ...)" → {100, null}; zero rows dropped', () => {
    const [h] = entries(parse(fixture('bpftrace-0.17/01-lhist.txt')), '@ret');
    expect(h!.scheme).toBe('linear');
    expect(h!.buckets).toEqual([
      bucket(null, -1, 2057),
      bucket(0, 9, 11860),
      bucket(10, 19, 15),
      bucket(30, 39, 56),
      bucket(50, 59, 2),
      bucket(60, 69, 52),
      bucket(100, null, 159563),
    ]);
  });

  test('02-hist: K/M/G labels, "[0]" and "[1]", and the 0.17 "[2G, 4G)" top row → [2^31, ∞)', () => {
    const events = parse(fixture('bpftrace-0.17/02-hist.txt'));
    const [lat] = entries(events, '@lat_ns');
    expect(lat!.buckets).toHaveLength(23);
    expect(lat!.buckets[0]).toEqual(bucket(64, 127, 2836));
    expect(lat!.buckets[3]).toEqual(bucket(512, 1023, 7069));
    expect(lat!.buckets.at(-1)).toEqual(bucket(2n ** 30n, 2n ** 31n - 1n, 2));
    const [ret] = entries(events, '@ret');
    expect(ret!.scheme).toBe('log2');
    expect(ret!.buckets.slice(0, 3)).toEqual([
      bucket(null, -1, 2213),
      bucket(0, 0, 9014),
      bucket(1, 1, 122),
    ]);
    expect(ret!.buckets.at(-1)).toEqual(bucket(2n ** 31n, null, 2949));
  });

  test('03-keyed-int: @bytes[2]', () => {
    const [h] = entries(parse(fixture('bpftrace-0.17/03-keyed-int.txt')), '@bytes', ['2']);
    expect(h!.buckets).toEqual([bucket(1, 1, 55), bucket(32, 63, 110), bucket(64, 127, 2)]);
  });

  test('04-keyed-str: lhist labels "[1K, 1536)" and "[4K, ...)"', () => {
    const [h] = entries(parse(fixture('bpftrace-0.17/04-keyed-str.txt')), '@readsz', ['find']);
    expect(h!).toEqual({
      aggregation: '@readsz',
      key: ['find'],
      scheme: 'linear',
      buckets: [bucket(512, 1023, 4), bucket(1024, 1535, 2), bucket(4096, null, 2)],
    });
  });

  test('05-multikey: "@lat[dd "q\\x y, 21]" → [comm, id] with the comm as printed', () => {
    const arity = keyArityFromScript(fixture('bpftrace-0.17/05-multikey.bt'));
    const events = parse(
      fixture('bpftrace-0.17/05-multikey.txt'),
      4096,
      new BpftraceTextParser(arity),
    );
    expect(histograms(events).every((h) => h.key.length === 2)).toBe(true);
    const [h] = entries(events, '@lat', ['dd "q\\x y', '21']);
    expect(h!.buckets).toEqual([
      bucket(1024, 2047, 2),
      bucket(2048, 4095, 29),
      bucket(4096, 8191, 5),
    ]);
  });

  test('06-interval-print: time() stamps and the exit dump split four intervals', () => {
    const assembler = new IntervalAssembler();
    const intervals = assembler.push(parse(fixture('bpftrace-0.17/06-interval-print.txt'), 7));
    const last = assembler.end();
    if (last) intervals.push(last);
    expect(
      intervals.map((i) => [
        i.histograms.length,
        i.histograms.reduce((s, h) => s + histogramTotal(h), 0n),
        i.final,
      ]),
    ).toEqual([
      [35, 83891n, false],
      [32, 79337n, false],
      [32, 80810n, false],
      [14, 49n, true],
    ]);
  });

  test('07-aggfuncs: scalar, stats, print() values and the tuple line are not histograms', () => {
    expect(parse(fixture('bpftrace-0.17/07-aggfuncs.txt'))).toEqual([{ type: 'interval-start' }]);
  });

  test('08-empty-and-zero: two @h tables; zero()ed and cleared scalar maps ignored', () => {
    const hs = entries(parse(fixture('bpftrace-0.17/08-empty-and-zero.txt')), '@h');
    expect(hs.map((h) => h.buckets)).toEqual([
      [bucket(8, 15, 1), bucket(256, 511, 11)],
      [
        bucket(0, 0, 2268),
        bucket(1, 1, 2267),
        bucket(2, 3, 85),
        bucket(4, 7, 2),
        bucket(8, 15, 187),
        bucket(16, 31, 14),
        bucket(32, 63, 24),
        bucket(128, 255, 18),
        bucket(256, 511, 294),
      ],
    ]);
  });

  test('09-hist-edges: the text run gives exactly the histograms of the JSON run (BEGIN-only script)', () => {
    const fromText = histograms(parse(fixture('bpftrace-0.17/09-hist-edges.txt')));
    const json = new BpftraceJsonParser();
    const fromJson = histograms([
      ...json.push(fixture('bpftrace-0.17/09-hist-edges.json')),
      ...json.end(),
    ]);
    expect(fromText).toEqual(fromJson);
    expect(fromText[0]!.buckets).toEqual([
      bucket(null, -1, 1),
      bucket(0, 0, 1),
      bucket(1, 1, 1),
      bucket(2, 3, 2),
      bucket(4, 7, 1),
      bucket(512, 1023, 1),
      bucket(1024, 2047, 1),
      bucket(2n ** 31n, null, 4),
    ]);
    expect(fromText.at(-1)).toEqual({
      aggregation: '@l2',
      key: [],
      scheme: 'linear',
      buckets: [bucket(705032704, 1705032703, 1)],
    });
  });

  test.each([
    ['INT', 92432],
    ['TERM', 95216],
  ])('10-sigint-%s-q: @h right after scalar lines, in the exit dump', (signal, zeros) => {
    const events = parse(fixture(`bpftrace-0.17/10-sigint-${signal}-q.txt`));
    expect(events.map((e) => e.type)).toEqual(['interval-start', 'histogram']);
    expect(entries(events, '@h')[0]!.buckets[0]).toEqual(bucket(0, 0, zeros));
  });

  test('13-key-ambiguity: "@m[a,b, 1]: 1" is a scalar, so nothing but the exit-dump gap', () => {
    expect(parse(fixture('bpftrace-0.17/13-key-ambiguity.txt'))).toEqual([
      { type: 'interval-start' },
    ]);
  });
});

describe('preset text outputs', () => {
  test('biolatency: three tables keyed 266338304', () => {
    const hs = entries(parse(fixture('presets-equivalents/biolatency.out.txt')), '@lat_us', [
      '266338304',
    ]);
    expect(hs).toHaveLength(3);
    expect(hs[0]!.buckets).toEqual([
      bucket(32, 63, 574),
      bucket(64, 127, 1452),
      bucket(128, 255, 30),
      bucket(256, 511, 7),
      bucket(512, 1023, 1),
    ]);
  });

  test('offcpu: comm keys with "/", "." and the escaped dd "q\\x y', () => {
    const events = parse(fixture('presets-equivalents/offcpu.out.txt'));
    expect(entries(events, '@offcpu_us', ['dd "q\\x y'])[0]!.buckets).toEqual([
      bucket(4, 7, 2),
      bucket(8, 15, 1),
      bucket(128, 255, 1),
      bucket(1024, 2047, 1),
    ]);
    expect(entries(events, '@offcpu_us', ['kworker/1:1'])[0]!.buckets).toEqual([
      bucket(65536, 131071, 1),
      bucket(131072, 262143, 1),
    ]);
  });

  test('profile: count lines only', () => {
    expect(histograms(parse(fixture('presets-equivalents/profile.out.txt')))).toEqual([]);
  });

  test('runqlat and syscall-latency', () => {
    const rq = entries(parse(fixture('presets-equivalents/runqlat.out.txt')), '@rq_us');
    expect(rq.map((h) => h.buckets.slice(0, 2))).toEqual([
      [bucket(0, 0, 32), bucket(1, 1, 1749)],
      [bucket(0, 0, 20), bucket(1, 1, 2029)],
      [bucket(0, 0, 34), bucket(1, 1, 2008)],
    ]);
    const sys = entries(parse(fixture('presets-equivalents/syscall-latency.out.txt')), '@lat_us', [
      '59',
    ]);
    expect(sys[0]!.buckets).toEqual([
      bucket(64, 127, 26),
      bucket(128, 255, 21),
      bucket(256, 511, 5),
    ]);
  });
});

// Lines below are SYNTHESIZED in bpftrace's text layout to reach paths no capture shows.
describe('markers, newer labels, junk and broken tables (synthesized)', () => {
  const row = (label: string, count: number) =>
    `${label.padEnd(16)} ${String(count).padStart(7)} |@@@@   |`;

  test('marker lines → tick; "Lost N events" → drop; printf and scalar lines pass', () => {
    const text = [
      'heat-tracer:tick 1000000000',
      'tick 1',
      '@c: 5',
      'Lost 3 events',
      'heat-tracer:end',
      '',
    ].join('\n');
    expect(parse(text, 1)).toEqual([
      { type: 'tick', tickNs: 1000000000n, final: false },
      { type: 'health', event: { kind: 'drop', message: 'bpftrace: Lost 3 events', count: 3 } },
      { type: 'tick', tickNs: null, final: true },
    ]);
  });

  test('0.20+ 64-bit hist: "[2G, 4G)" followed by "[4G, 8G)" stays finite; T suffix; negative lhist K labels', () => {
    const text = [
      '@h: ',
      row('[2G, 4G)', 1),
      row('[4G, 8G)', 2),
      row('[1T, 2T)', 3),
      '',
      '@l: ',
      row('[-1K, -512)', 4),
      row('[-512, 0)', 5),
      '',
    ].join('\r\n');
    const hs = histograms(parse(text));
    expect(hs.map((h) => h.buckets)).toEqual([
      [
        bucket(2n ** 31n, 2n ** 32n - 1n, 1),
        bucket(2n ** 32n, 2n ** 33n - 1n, 2),
        bucket(2n ** 40n, 2n ** 41n - 1n, 3),
      ],
      [bucket(-1024, -513, 4), bucket(-512, -1, 5)],
    ]);
    expect(hs.map((h) => h.scheme)).toEqual(['log2', 'linear']);
  });

  test('an unreadable row inside a table is skipped with its line number; the table goes on', () => {
    const text = ['@h: ', row('[4, 8)', 1), row('[x, y)', 9), row('[8, 16)', 2), ''].join('\n');
    const events = parse(text);
    expect(events[0]).toEqual({ type: 'skipped', line: 3, reason: 'unreadable histogram row' });
    expect(histograms(events)[0]!.buckets).toEqual([bucket(4, 7, 1), bucket(8, 15, 2)]);
  });

  test('a row with a garbled label or count is skipped, not the end of its table; a row outside a table is counted', () => {
    const text = [
      '@h: ',
      row('[4, 8)', 1),
      `Q${row('[8, 16)', 9).slice(1)}`,
      row('[16, 32)', 2).replace('2', '2x'),
      row('[32, 64)', 3),
      '',
      row('[64, 128)', 4),
      '',
    ].join('\n');
    const events = parse(text);
    expect(events.filter((e) => e.type === 'skipped')).toEqual([
      { type: 'skipped', line: 3, reason: 'unreadable histogram row' },
      { type: 'skipped', line: 4, reason: 'unreadable histogram row' },
      { type: 'skipped', line: 7, reason: 'a histogram row outside a table' },
    ]);
    expect(histograms(events)[0]!.buckets).toEqual([bucket(4, 7, 1), bucket(32, 63, 3)]);
  });

  test('rows out of order throw a HeatError naming the line', () => {
    const text = ['@h: ', row('[8, 16)', 1), row('[4, 8)', 2), ''].join('\n');
    expect(() => parse(text)).toThrow(HeatError);
    expect(() => parse(text)).toThrow(/line 3: row \[4, 8\) of @h is out of order/);
  });

  test('the sniffer: bpftrace lines yes; JSON, DTrace tables and prose no', () => {
    expect(isBpftraceText('Attaching 1 probe...\n')).toBe(true);
    expect(isBpftraceText('04:46:46\ntick 1\n@calls: 83656\n')).toBe(true);
    expect(isBpftraceText('{"type": "hist", "data": {}}\n')).toBe(false);
    const dtrace =
      '\n           value  ------------- Distribution ------------- count    \n               0 |@@@@@@@@ 1        \n';
    expect(isBpftraceText(dtrace)).toBe(false);
    expect(
      isBpftraceText('  bash                                                          407\n'),
    ).toBe(false);
    expect(isBpftraceText('hello world\n')).toBe(false);
  });
});
