import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { HeatError } from '../../cli/model/heat-error.js';
import { histogramTotal, type Histogram } from '../../cli/model/snapshot.js';
import {
  BpftraceJsonParser,
  isBpftraceJson,
  parseBpftraceStderrLine,
} from '../../cli/parse/bpftrace-json.js';
import { keyArityFromScript, schemeHintsFromScript } from '../../cli/parse/bpftrace-keys.js';
import { isBpftraceText } from '../../cli/parse/bpftrace-text.js';
import { IntervalAssembler } from '../../cli/parse/interval-assembler.js';
import type { TraceEvent } from '../../cli/parse/trace-event.js';
import { bucket } from '../helpers/buckets.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const fixture = (path: string) => readFileSync(new URL(path, FIXTURES), 'utf8');
const listed = (dir: string, suffix: string) =>
  readdirSync(new URL(dir, FIXTURES))
    .filter((f) => f.endsWith(suffix))
    .map((f) => `${dir}/${f}`);

/** Feeds the text whole, or in pieces of `chunk` characters (stdout arrives in pieces). */
function parse(
  text: string,
  chunk = text.length || 1,
  parser = new BpftraceJsonParser(),
): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (let i = 0; i < text.length; i += chunk)
    events.push(...parser.push(text.slice(i, i + chunk)));
  return [...events, ...parser.end()];
}

function histograms(events: TraceEvent[]): Histogram[] {
  return events.flatMap((e) => (e.type === 'histogram' ? [e.histogram] : []));
}

function entry(events: TraceEvent[], aggregation: string, key: string[] = []): Histogram {
  const found = histograms(events).filter(
    (h) => h.aggregation === aggregation && h.key.join('\u0000') === key.join('\u0000'),
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** Non-empty histogram entries per file, counted independently from the JSON with python's json module. */
const HISTOGRAM_COUNTS: Record<string, number> = {
  'bpftrace-0.17/01-lhist.json': 1,
  'bpftrace-0.17/02-hist.json': 2,
  'bpftrace-0.17/03-keyed-int.json': 11,
  'bpftrace-0.17/04-keyed-str.json': 14,
  'bpftrace-0.17/05-multikey.json': 84,
  'bpftrace-0.17/06-interval-print.json': 105,
  'bpftrace-0.17/07-aggfuncs.json': 0,
  'bpftrace-0.17/08-empty-and-zero.json': 2,
  'bpftrace-0.17/09-hist-edges.json': 5,
  'bpftrace-0.17/10-sigint-INT-q.json': 1,
  'bpftrace-0.17/10-sigint-TERM-q.json': 1,
  'bpftrace-0.17/12-syscall-latency-by-probe-name.json': 129,
  'bpftrace-0.17/13-key-ambiguity.json': 0,
  'bpftrace-0.17/15-prints-without-time.json': 4,
  // Parsed without the script here: each stack key is one key element of text (see bpftrace-stacks.test.ts).
  'bpftrace-0.17/16-stacks-exited.json': 2,
  'bpftrace-0.17/16-stacks-pid.json': 4,
  'bpftrace-0.17/16-stacks-user-kernel.json': 3,
  'presets-equivalents/biolatency.out.json': 3,
  'presets-equivalents/offcpu.out.json': 43,
  'presets-equivalents/profile.out.json': 0,
  'presets-equivalents/runqlat.out.json': 3,
  'presets-equivalents/syscall-latency.out.json': 99,
};

describe('every real JSON capture', () => {
  const files = [
    ...listed('bpftrace-0.17', '.json'),
    ...listed('presets-equivalents', '.out.json'),
  ];

  test('the list covers every .json fixture', () => {
    expect(files.sort()).toEqual(Object.keys(HISTOGRAM_COUNTS).sort());
  });

  test.each(files)(
    '%s: sniffed as JSON, every line understood, the expected number of histograms',
    (file) => {
      const text = fixture(file);
      expect(isBpftraceJson(text.slice(0, 512))).toBe(true);
      expect(isBpftraceText(text.slice(0, 512))).toBe(false);
      const events = parse(text);
      expect(events.filter((e) => e.type === 'skipped')).toEqual([]);
      expect(histograms(events)).toHaveLength(HISTOGRAM_COUNTS[file]!);
      expect(histograms(events).every((h) => h.buckets.every((x) => x.count > 0n))).toBe(true);
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

describe('bpftrace 0.17 captures', () => {
  test('01-lhist: "(..., 0)" underflow, [0,9]..[90,99] without zero rows, [100, ...) overflow', () => {
    const h = entry(parse(fixture('bpftrace-0.17/01-lhist.json')), '@ret');
    expect(h.scheme).toBe('linear');
    expect(h.buckets).toEqual([
      bucket(null, -1, 2230),
      bucket(0, 9, 11829),
      bucket(10, 19, 23),
      bucket(30, 39, 46),
      bucket(60, 69, 50),
      bucket(100, null, 150043),
    ]);
  });

  test('02-hist: ns latency log2 buckets; return values with [0], [1] and the 0.17 min -2147483648 bucket', () => {
    const events = parse(fixture('bpftrace-0.17/02-hist.json'));
    const lat = entry(events, '@lat_ns');
    expect(lat.buckets).toHaveLength(22);
    expect(lat.buckets[0]).toEqual(bucket(64, 127, 4924));
    expect(lat.buckets.at(-1)).toEqual(bucket(134217728, 268435455, 6));
    const ret = entry(events, '@ret');
    expect(ret.scheme).toBe('log2');
    expect(ret.buckets.slice(0, 4)).toEqual([
      bucket(null, -1, 2449),
      bucket(0, 0, 11132),
      bucket(1, 1, 1104),
      bucket(2, 3, 2433),
    ]);
    expect(ret.buckets.slice(-3)).toEqual([
      bucket(131072, 262143, 21),
      bucket(536870912, 1073741823, 2),
      bucket(2n ** 31n, null, 3207),
    ]);
  });

  test('03-keyed-int: @bytes keyed by fd; the @count map is not a histogram', () => {
    const events = parse(fixture('bpftrace-0.17/03-keyed-int.json'));
    expect(entry(events, '@bytes', ['2']).buckets).toEqual([
      bucket(1, 1, 57),
      bucket(32, 63, 116),
      bucket(64, 127, 2),
    ]);
    expect(histograms(events).every((h) => h.aggregation === '@bytes' && h.key.length === 1)).toBe(
      true,
    );
  });

  test('04-keyed-str: lhist keyed by comm; script hints settle the single-bucket entries', () => {
    const text = fixture('bpftrace-0.17/04-keyed-str.json');
    const guessed = parse(text);
    expect(entry(guessed, '@readsz', ['sed']).buckets).toEqual([
      bucket(512, 1023, 8),
      bucket(1024, 1535, 4),
      bucket(4096, null, 12),
    ]);
    expect(entry(guessed, '@readsz', ['sed']).scheme).toBe('linear');
    expect(entry(guessed, '@readsz', ['sh']).scheme).toBe('log2');
    expect(entry(guessed, '@readsz', ['memfd:sealed-91']).scheme).toBe('unknown');
    const script = fixture('bpftrace-0.17/04-keyed-str.bt');
    const hinted = parse(
      text,
      text.length,
      new BpftraceJsonParser(keyArityFromScript(script), schemeHintsFromScript(script)),
    );
    expect(histograms(hinted).every((h) => h.scheme === 'linear')).toBe(true);
    expect(entry(hinted, '@readsz', ['memfd:sealed-91']).buckets).toEqual([bucket(4096, null, 7)]);
  });

  test('05-multikey: [comm, id] keys split into tuples, escaped comm dd "q\\x y kept verbatim', () => {
    const text = fixture('bpftrace-0.17/05-multikey.json');
    const events = parse(
      text,
      4096,
      new BpftraceJsonParser(keyArityFromScript(fixture('bpftrace-0.17/05-multikey.bt'))),
    );
    expect(histograms(events).every((h) => h.key.length === 2 && /^-?\d+$/.test(h.key[1]!))).toBe(
      true,
    );
    expect(entry(events, '@lat', ['dd "q\\x y', '21']).buckets).toEqual([
      bucket(1024, 2047, 3),
      bucket(2048, 4095, 31),
      bucket(4096, 8191, 1),
    ]);
    expect(entry(events, '@lat', ['bpftrace', '32']).buckets).toEqual([bucket(1024, 2047, 1)]);
  });

  test('07-aggfuncs: count/sum/avg/min/max/stats/value lines (totals past 2^53) give no events but the exit-dump gap', () => {
    const events = parse(fixture('bpftrace-0.17/07-aggfuncs.json'));
    expect(events).toEqual([{ type: 'interval-start' }, { type: 'interval-start' }]);
  });

  test('08-empty-and-zero: prints of empty maps add nothing; zero()ed counts are ignored; two @h prints', () => {
    const events = parse(fixture('bpftrace-0.17/08-empty-and-zero.json'));
    const hs = histograms(events);
    expect(hs.map((h) => h.buckets.length)).toEqual([1, 10]);
    expect(hs[0]!.buckets).toEqual([bucket(256, 511, 13)]);
    expect(hs[1]!.buckets.slice(0, 2)).toEqual([bucket(0, 0, 962), bucket(1, 1, 5)]);
    expect(events.map((e) => e.type)).toEqual([
      'histogram',
      'interval-start',
      'interval-start',
      'histogram',
    ]);
  });

  test('09-hist-edges: -5 → underflow, 2^31, 2^32, 2^40, 2^62 → the 0.17 [2^31, ∞) bucket, lhist edges', () => {
    const events = parse(fixture('bpftrace-0.17/09-hist-edges.json'));
    expect(entry(events, '@h').buckets).toEqual([
      bucket(null, -1, 1),
      bucket(0, 0, 1),
      bucket(1, 1, 1),
      bucket(2, 3, 2),
      bucket(4, 7, 1),
      bucket(512, 1023, 1),
      bucket(1024, 2047, 1),
      bucket(2147483648, null, 4),
    ]);
    expect(entry(events, '@hk', ['a']).buckets).toEqual([bucket(8, 15, 1)]);
    expect(entry(events, '@hk', ['b']).buckets).toEqual([bucket(64, 127, 1)]);
    expect(entry(events, '@l').buckets).toEqual([
      bucket(null, -1, 1),
      bucket(0, 9, 1),
      bucket(90, 99, 1),
      bucket(100, null, 2),
    ]);
    expect(entry(events, '@l2')).toEqual({
      aggregation: '@l2',
      key: [],
      scheme: 'linear',
      buckets: [bucket(705032704, 1705032703, 1)],
    });
  });

  test.each(['INT', 'TERM'])(
    '10-sigint-%s-q: the exit dump after two blank lines holds @h',
    (signal) => {
      const events = parse(fixture(`bpftrace-0.17/10-sigint-${signal}-q.json`));
      expect(events.map((e) => e.type)).toEqual(['interval-start', 'interval-start', 'histogram']);
      const h = entry(events, '@h');
      expect(h.buckets[0]).toEqual(signal === 'INT' ? bucket(0, 0, 91236) : bucket(0, 0, 92928));
      expect(histogramTotal(h)).toBe(signal === 'INT' ? 199714n : 212341n);
    },
  );

  test('11-end-clear (timestamped, lines cut at 150 characters): junk lines are skipped with their numbers', () => {
    const text = fixture('bpftrace-0.17/11-end-clear.json.timestamped');
    expect(isBpftraceJson(text)).toBe(false);
    const stripped = text.replace(/^\d+\.\d+ ?/gm, '');
    expect(isBpftraceJson(stripped)).toBe(true);
    expect(parse(stripped)).toEqual([
      { type: 'skipped', line: 1, reason: 'not a bpftrace JSON object' },
      { type: 'skipped', line: 2, reason: 'not a bpftrace JSON object' },
      { type: 'skipped', line: 3, reason: 'not a bpftrace JSON object' },
      { type: 'interval-start' },
      { type: 'interval-start' },
    ]);
  });

  test('12-syscall-latency-by-probe-name: two per-second prints keyed by tracepoint name', () => {
    const events = parse(fixture('bpftrace-0.17/12-syscall-latency-by-probe-name.json'));
    const read = histograms(events).filter((h) => h.key[0] === 'tracepoint:syscalls:sys_exit_read');
    expect(read).toHaveLength(2);
    expect(read[0]!.buckets.slice(0, 3)).toEqual([
      bucket(0, 0, 79527),
      bucket(1, 1, 910),
      bucket(2, 3, 347),
    ]);
    expect(read[0]!.buckets.at(-1)).toEqual(bucket(32768, 65535, 1));
  });

  test('13-key-ambiguity: only count maps and a tuple value, so no events besides the exit-dump gap', () => {
    expect(parse(fixture('bpftrace-0.17/13-key-ambiguity.json'))).toEqual([
      { type: 'interval-start' },
      { type: 'interval-start' },
    ]);
  });
});

describe('preset outputs', () => {
  test('biolatency: three seconds of @lat_us keyed by dev_t 266338304 (vda)', () => {
    const hs = histograms(parse(fixture('presets-equivalents/biolatency.out.json')));
    expect(hs.map((h) => h.key)).toEqual([['266338304'], ['266338304'], ['266338304']]);
    expect(hs[1]!.buckets).toEqual([
      bucket(32, 63, 80),
      bucket(64, 127, 1979),
      bucket(128, 255, 17),
      bucket(256, 511, 4),
    ]);
  });

  test('offcpu: keyed by comm including dd "q\\x y', () => {
    const events = parse(fixture('presets-equivalents/offcpu.out.json'));
    expect(histograms(events).filter((h) => h.key[0] === 'dd "q\\x y')[0]!.buckets).toEqual([
      bucket(8, 15, 2),
    ]);
  });

  test('profile: count maps only', () => {
    expect(histograms(parse(fixture('presets-equivalents/profile.out.json')))).toEqual([]);
  });

  test('runqlat: keyless @rq_us, three seconds', () => {
    const hs = histograms(parse(fixture('presets-equivalents/runqlat.out.json')));
    expect(hs.map((h) => [h.key, h.scheme, histogramTotal(h)])).toEqual([
      [[], 'log2', 2437n],
      [[], 'log2', 2459n],
      [[], 'log2', 2451n],
    ]);
  });

  test('syscall-latency: keyed by syscall number, -1 included', () => {
    const events = parse(fixture('presets-equivalents/syscall-latency.out.json'));
    expect(histograms(events).filter((h) => h.key[0] === '-1')[0]!.buckets).toEqual([
      bucket(0, 0, 32),
      bucket(1, 1, 19),
      bucket(4, 7, 1),
    ]);
    expect(
      histograms(events)
        .filter((h) => h.key[0] === '0')[0]!
        .buckets.at(-1),
    ).toEqual(bucket(64, 127, 2));
  });
});

describe('prints through IntervalAssembler', () => {
  test('one print of a map is one interval, even when consecutive prints share no key', () => {
    const print = (key: string) =>
      `{"type": "hist", "data": {"@lat_us": {"${key}": [{"min": 1, "max": 1, "count": 1}]}}}`;
    const other =
      '{"type": "hist", "data": {"@other_us": {"k": [{"min": 1, "max": 1, "count": 1}]}}}';
    const assembler = new IntervalAssembler();
    const intervals = assembler.push(
      parse([print('a'), other, print('b'), other, print('c')].join('\n')),
    );
    intervals.push(assembler.end()!);
    expect(
      intervals.map((i) => i.histograms.map((h) => `${h.aggregation}[${h.key.join()}]`)),
    ).toEqual([['@lat_us[a]', '@other_us[k]'], ['@lat_us[b]', '@other_us[k]'], ['@lat_us[c]']]);
  });
});

describe('06-interval-print through IntervalAssembler', () => {
  test('three per-second intervals (split at each time line) and the exit dump as a final partial one', () => {
    const assembler = new IntervalAssembler();
    const intervals = assembler.push(parse(fixture('bpftrace-0.17/06-interval-print.json'), 7));
    const last = assembler.end();
    if (last) intervals.push(last);
    const summary = intervals.map((i) => ({
      entries: i.histograms.length,
      total: i.histograms.reduce((sum, h) => sum + histogramTotal(h), 0n),
      final: i.final,
    }));
    expect(summary).toEqual([
      { entries: 35, total: 83698n, final: false },
      { entries: 32, total: 83746n, final: false },
      { entries: 32, total: 83730n, final: false },
      { entries: 6, total: 79n, final: true },
    ]);
  });
});

// Lines below are SYNTHESIZED from tracer-formats.md 1.6 and bpftrace's src/output/json.cpp (0.24+):
// no capture of those versions exists on this machine.
describe('newer bpftrace shapes (synthesized)', () => {
  const lines = (...objs: string[]) => objs.map((o) => `${o}\n`).join('');

  test('0.24 attached_probes with count, empty {} maps, tseries: no events', () => {
    const text = lines(
      '{"type": "attached_probes", "count": 1, "data": {"probes": 1}}',
      '{"type":"attached_probes", "count":3}',
      '{"type": "map", "data": {"@x": {}}}',
      '{"type": "hist", "data": {"@lat": {}}}',
      '{"type": "hist", "data": {"@lat": []}}',
      '{"type": "tseries", "data": {"@t": [{"interval_start":"2025-01-01T00:00:00","value":3}]}}',
    );
    expect(parse(text)).toEqual([]);
  });

  test('0.24 string-encoded integers and 64-bit bounds stay exact; unspaced arrays and keys', () => {
    const text = lines(
      '{"type": "hist", "data": {"@lat": {"WebContent,7": [{"min": 8589934592,"max": 17179869183,"count": 2},' +
        '{"min": 4611686018427387904,"max": "9223372036854775807","count": "9007199254740993"}]}}}',
    );
    const h = entry(parse(text, 3, new BpftraceJsonParser(new Map([['@lat', 2]]))), '@lat', [
      'WebContent',
      '7',
    ]);
    expect(h.buckets).toEqual([
      bucket(8589934592n, 17179869183n, 2),
      bucket(2n ** 62n, 2n ** 63n - 1n, 9007199254740993n),
    ]);
  });

  test('pre-0.24 integers past 2^53 written as plain JSON numbers are read without rounding', () => {
    const text = lines(
      '{"type": "hist", "data": {"@x": [{"min": 0, "max": 0, "count": 9007199254740993}, {"min": 1, "max": 1, "count": 12345678901234567890}]}}',
    );
    expect(entry(parse(text), '@x').buckets).toEqual([
      bucket(0, 0, 9007199254740993n),
      bucket(1, 1, 12345678901234567890n),
    ]);
  });

  test('13-key-ambiguity key "a,b,1" as a hist: split by arity 2, or on every comma without it', () => {
    const text = lines(
      '{"type": "hist", "data": {"@m": {"a,b,1": [{"min": 1, "max": 1, "count": 1}]}}}',
    );
    expect(
      entry(parse(text, 5, new BpftraceJsonParser(new Map([['@m', 2]]))), '@m', ['a,b', '1'])
        .buckets,
    ).toEqual([bucket(1, 1, 1)]);
    expect(entry(parse(text), '@m', ['a', 'b', '1']).buckets).toEqual([bucket(1, 1, 1)]);
  });

  test('lost_events in the 0.17, 0.24 and HEAD shapes → drop health with the count', () => {
    const text = lines(
      '{"type": "lost_events", "data": {"events": 12}}',
      '{"type": "lost_events", "count": 7, "data": {"events": 7}}',
      '{"type":"lost_events", "count":5}',
    );
    expect(parse(text)).toEqual([
      {
        type: 'health',
        event: { kind: 'drop', message: 'bpftrace lost 12 events (perf buffer full)', count: 12 },
      },
      {
        type: 'health',
        event: { kind: 'drop', message: 'bpftrace lost 7 events (perf buffer full)', count: 7 },
      },
      {
        type: 'health',
        event: { kind: 'drop', message: 'bpftrace lost 5 events (perf buffer full)', count: 5 },
      },
    ]);
  });

  test("the recorder's running total of events past the stack budget → a drop per drain that added some", () => {
    // As the completed program prints it at each drain (bpftrace-stack-maps.ts), with a tick.
    const text = lines(
      '{"type": "printf", "data": "heat-tracer:stacks-over 5\\n"}',
      '{"type": "printf", "data": "heat-tracer:tick 100\\n"}',
      '{"type": "printf", "data": "heat-tracer:stacks-over 5\\n"}',
      '{"type": "printf", "data": "heat-tracer:stacks-over 12\\n"}',
    );
    const drops = parse(text).flatMap((e) => (e.type === 'health' ? [e.event.count] : []));
    expect(drops).toEqual([5, 7]);
    expect(parse(text).filter((e) => e.type === 'tick')).toHaveLength(1);
  });

  test('helper_error (0.17 and 0.24), runtime_error, errorf, warnf → readable health messages', () => {
    const text = lines(
      '{"type": "helper_error", "helper": "map_update_elem", "retcode": -7, "line": 1, "col": 87}',
      '{"type": "helper_error", "msg": "Argument list too long", "helper": "map_update_elem", "retcode": -7, "filename": "lat.bt", "line": 3, "col": 5}',
      '{"type": "runtime_error", "msg": "division by zero", "filename": "lat.bt", "line": 4, "col": 9}',
      '{"type": "errorf", "msg": "disk full\\n", "filename": "lat.bt", "line": 5, "col": 2}',
      '{"type": "warnf", "msg": "slow path", "filename": "", "line": 6, "col": 2}',
    );
    expect(
      parse(text).map((e) => (e.type === 'health' ? [e.event.kind, e.event.message] : e.type)),
    ).toEqual([
      ['error', 'bpftrace helper map_update_elem failed with -7 at line 1:87'],
      [
        'error',
        'bpftrace helper map_update_elem failed with -7 (Argument list too long) at lat.bt:3:5',
      ],
      ['error', 'bpftrace runtime error: division by zero at lat.bt:4:9'],
      ['error', 'bpftrace script error: disk full at lat.bt:5:2'],
      ['warning', 'bpftrace script warning: slow path at line 6:2'],
    ]);
  });
});

describe('markers, junk and broken output', () => {
  test('printf markers → tick / final tick; other printf text and time lines as in 06', () => {
    const text = [
      '{"type": "time", "data": "04:46:50\\n"}',
      '{"type": "printf", "data": "tick 1\\n"}',
      '{"type": "printf", "data": "heat-tracer:tick 238768196072\\n"}',
      '{"type": "printf", "data": "heat-tracer:end 238769196072\\n"}',
      '',
    ].join('\n');
    expect(parse(text, 1)).toEqual([
      { type: 'interval-start' },
      { type: 'tick', tickNs: 238768196072n, final: false },
      { type: 'tick', tickNs: 238769196072n, final: true },
    ]);
  });

  test('a text line or a cut-off object inside the stream is skipped with its line number', () => {
    const text =
      '{"type": "time", "data": "x"}\nAttaching 2 probes...\n{"type": "hist", "data": {"@x": [{"min"\n';
    expect(parse(text)).toEqual([
      { type: 'interval-start' },
      { type: 'skipped', line: 2, reason: 'not a bpftrace JSON object' },
      { type: 'skipped', line: 3, reason: 'not a bpftrace JSON object' },
    ]);
  });

  test('a final line without its newline is still parsed at end()', () => {
    const parser = new BpftraceJsonParser();
    expect(
      parser.push('{"type": "hist", "data": {"@x": [{"min": 4, "max": 7, "count": 3}]}}'),
    ).toEqual([]);
    expect(histograms(parser.end())[0]!.buckets).toEqual([bucket(4, 7, 3)]);
  });

  test('hist data that makes no sense throws a HeatError naming the line', () => {
    const bad = [
      '{"type": "hist", "data": {"@x": [{"min": 0, "max": 0}]}}',
      '{"type": "hist", "data": {"@x": [{"min": 8, "max": 15, "count": 1}, {"min": 0, "max": 0, "count": 1}]}}',
      '{"type": "hist", "data": {"@x": [{"min": "zero", "max": 0, "count": 1}]}}',
      '{"type": "hist", "data": {"@x": 5}}',
      '{"type": "hist", "data": 5}',
      '{"type": "hist", "data": {"@x": [{"min": 9223372036854775807, "max": 3, "count": 1}]}}', // min above max (a fuzz find)
      '{"type": "hist", "data": {"@x": [{"min": 1, "max": 1, "count": 18446744073709551616}]}}', // beyond 64 bits
    ];
    for (const line of bad) {
      expect(() => parse(`{"type": "time", "data": "x"}\n${line}\n`)).toThrow(HeatError);
      expect(() => parse(`{"type": "time", "data": "x"}\n${line}\n`)).toThrow(/line 2:/);
    }
  });

  test('the sniffer wants a {"type": ...} object first, blank lines allowed', () => {
    expect(isBpftraceJson('\n\n{"type": "hist", "data"')).toBe(true);
    expect(isBpftraceJson('{"type":"attached_probes", "count":1}')).toBe(true);
    expect(isBpftraceJson('Attaching 2 probes...\n{"type": "hist"')).toBe(false);
    expect(isBpftraceJson('{"dtrace": {"probes": []}}')).toBe(false);
    expect(isBpftraceJson('')).toBe(false);
  });
});

describe('parseBpftraceStderrLine', () => {
  test('the RLIMIT_MEMLOCK line of every real capture is ignored', () => {
    const files = [
      ...listed('bpftrace-0.17', '.stderr'),
      ...listed('presets-equivalents', '.stderr'),
    ];
    expect(files.length).toBe(38);
    for (const file of files) {
      const lines = fixture(file).split('\n');
      expect(lines.filter((l) => l !== '')).toHaveLength(1);
      expect(lines.map(parseBpftraceStderrLine)).toEqual(lines.map(() => null));
    }
  });

  test('ERROR: → error, WARNING: → warning, Lost N events → drop, anything else → warning', () => {
    expect(parseBpftraceStderrLine('ERROR: Could not resolve symbol: /bin/bash:readline')).toEqual({
      kind: 'error',
      message: 'bpftrace: Could not resolve symbol: /bin/bash:readline',
      count: 1,
    });
    expect(parseBpftraceStderrLine('WARNING: Addrspace is not set\n')).toEqual({
      kind: 'warning',
      message: 'bpftrace: Addrspace is not set',
      count: 1,
    });
    expect(parseBpftraceStderrLine('Lost 42 events')).toEqual({
      kind: 'drop',
      message: 'bpftrace: Lost 42 events',
      count: 42,
    });
    expect(parseBpftraceStderrLine('Attached 2 probes')).toEqual({
      kind: 'warning',
      message: 'bpftrace: Attached 2 probes',
      count: 1,
    });
    expect(parseBpftraceStderrLine('   ')).toBeNull();
  });

  test('a stack the stack map refused (-17, EEXIST) is a drop of stacks, one per line, whatever the pid', () => {
    // Lines from a real `heat-record --stacks` of the whole machine (bpftrace 0.17, 3 s).
    const lines = [
      'ERROR: failed to look up stack id -17 (pid -1): -2',
      'ERROR: failed to look up stack id -17 (pid 1609081): -2',
    ];
    for (const line of lines)
      expect(parseBpftraceStderrLine(line)).toMatchObject({
        kind: 'drop',
        message: expect.stringMatching(/^stacks lost: .*counted under \[no stack\]$/),
        count: 1,
      });
    expect(
      parseBpftraceStderrLine('ERROR: failed to look up stack id 81812 (pid 9126): -9'),
    ).toEqual({
      kind: 'error',
      message: 'bpftrace: failed to look up stack id 81812 (pid 9126): -9',
      count: 1,
    });
  });
});
