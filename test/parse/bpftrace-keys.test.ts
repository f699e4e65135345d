import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  keyArityFromScript,
  schemeHintsFromScript,
  splitKey,
} from '../../cli/parse/bpftrace-keys.js';

const fixture = (path: string) =>
  readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');

describe('splitKey', () => {
  test('13-key-ambiguity: the JSON keys of @m["a,b", 1] and @m["a", 2] split with arity 2', () => {
    const line = fixture('bpftrace-0.17/13-key-ambiguity.json')
      .split('\n')
      .find((l) => l.includes('"@m"'))!;
    const keys = Object.keys(
      (JSON.parse(line) as { data: { '@m': Record<string, number> } }).data['@m'],
    );
    expect(keys).toEqual(['a,b,1', 'a,2']);
    expect(keys.map((k) => splitKey(k, ',', 2))).toEqual([
      ['a,b', '1'],
      ['a', '2'],
    ]);
  });

  test('13-key-ambiguity: the text header @m[a,b, 1] splits on ", "', () => {
    const text = fixture('bpftrace-0.17/13-key-ambiguity.txt');
    const raw = /^@m\[(.*)\]: 1$/m.exec(text)![1]!;
    expect(raw).toBe('a,b, 1');
    expect(splitKey(raw, ', ', 2)).toEqual(['a,b', '1']);
  });

  test('05-multikey: [comm, id] with the escaped comm dd "q\\x y', () => {
    expect(splitKey('dd "q\\x y,21', ',', 2)).toEqual(['dd "q\\x y', '21']);
    expect(splitKey('bpftrace,186', ',', 2)).toEqual(['bpftrace', '186']);
  });

  test('the free-text element may sit anywhere the others are integers; otherwise it goes first', () => {
    expect(splitKey('5,x,y', ',', 2)).toEqual(['5', 'x,y']);
    expect(splitKey('5,x,y,7', ',', 3)).toEqual(['5', 'x,y', '7']);
    expect(splitKey('x,y,z', ',', 2)).toEqual(['x,y', 'z']);
  });

  test('without an arity every separator splits; arity 1 keeps the whole key', () => {
    expect(splitKey('a,b,1', ',')).toEqual(['a', 'b', '1']);
    expect(splitKey('Web,Content', ',', 1)).toEqual(['Web,Content']);
    expect(splitKey('tracepoint:syscalls:sys_exit_read', ',')).toEqual([
      'tracepoint:syscalls:sys_exit_read',
    ]);
  });
});

describe('keyArityFromScript', () => {
  test('reads every hist/lhist assignment of the real scripts and nothing else', () => {
    expect(keyArityFromScript(fixture('bpftrace-0.17/05-multikey.bt'))).toEqual(
      new Map([['@lat', 2]]),
    );
    expect(keyArityFromScript(fixture('presets-equivalents/biolatency.bt'))).toEqual(
      new Map([['@lat_us', 1]]),
    );
    expect(keyArityFromScript(fixture('presets-equivalents/runqlat.bt'))).toEqual(
      new Map([['@rq_us', 0]]),
    );
    expect(keyArityFromScript(fixture('presets-equivalents/profile.bt'))).toEqual(new Map());
    expect(keyArityFromScript(fixture('bpftrace-0.17/09-hist-edges.bt'))).toEqual(
      new Map([
        ['@h', 0],
        ['@l', 0],
        ['@l2', 0],
        ['@hk', 1],
      ]),
    );
  });

  test('nested calls and strings in keys, keyless @, comments and strings that look like assignments', () => {
    const script = [
      '// @commented[a, b] = hist(1)',
      'k:f { @x[comm, str(args->f, 3)] = hist($d); @ = lhist($v, 0, 10, 1); @y["]", 2] = hist(1); }',
      '/* @z = hist(1) */ END { printf("@q[1, 2] = hist(\\n"); }',
    ].join('\n');
    expect(keyArityFromScript(script)).toEqual(
      new Map([
        ['@x', 2],
        ['@', 0],
        ['@y', 2],
      ]),
    );
  });
});

describe('schemeHintsFromScript', () => {
  test('hist → log2, hist(v, k) → log2/k, lhist → linear', () => {
    expect(schemeHintsFromScript(fixture('bpftrace-0.17/04-keyed-str.bt'))).toEqual(
      new Map([['@readsz', 'linear']]),
    );
    expect(
      schemeHintsFromScript('i:s:1 { @a[cpu] = hist($x, 3); @b = hist($x, 0); @c = hist($x); }'),
    ).toEqual(
      new Map([
        ['@a', 'log2/3'],
        ['@b', 'log2'],
        ['@c', 'log2'],
      ]),
    );
  });
});
