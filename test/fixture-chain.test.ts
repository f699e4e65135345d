// Every real captured tracer output in test/fixtures/ through the whole chain once: the file is
// parsed (heat-record import's parser), written to a recording by the store, and opened by the
// viewer's loader (sql.js in Node, as in the browser); the viewer's model must hold exactly the
// counts the parser read, second by second and bucket by bucket. Fixtures a recording cannot hold
// are named below with the one-line reason import gives, and import must leave no file.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importTrace } from '../cli/import/import-recording.js';
import { parseTrace } from '../cli/import/import-trace.js';
import { HeatError } from '../cli/model/heat-error.js';
import type { Snapshot } from '../cli/model/snapshot.js';
import { packageRoot } from '../cli/package-root.js';
import { openRecording } from '../viewer/src/load/open-recording.js';
import { sqlEngine, type SqlEngine } from '../viewer/src/load/sql-engine.js';
import { START_MS } from './helpers/recordings.js';
import { useTempDir } from './helpers/temp-dir.js';
import { gridCounts } from './viewer/helpers/expected.js';

const FIXTURES = join(packageRoot(), 'test/fixtures');
/** Folders of captured tracer output (the others hold scripts, stand-ins and workloads). */
const CAPTURES = [
  'bpftrace-0.17',
  'dtrace-real',
  'dtrace-linux',
  'dtrace-layout',
  'presets-equivalents',
];
/** Captures import refuses, with its one-line reason: output a recording cannot hold. */
const REFUSED: Record<string, RegExp> = {
  'bpftrace-0.17/07-aggfuncs.json': /holds no histograms/, // count/sum/avg/min/max/stats only
  'bpftrace-0.17/07-aggfuncs.txt': /holds no histograms/,
  'bpftrace-0.17/11-end-clear.json.timestamped': /is not bpftrace \(JSON or text\) or DTrace/,
  'bpftrace-0.17/13-key-ambiguity.json': /holds no histograms/,
  'bpftrace-0.17/13-key-ambiguity.txt': /holds no histograms/,
  'dtrace-layout/count-by-string.printa.txt': /is not bpftrace \(JSON or text\) or DTrace/,
  'dtrace-real/dtrace-utils-aggs-tst.clear.txt': /is not bpftrace \(JSON or text\) or DTrace/,
  'dtrace-real/dtrace-utils-aggs-tst.neglquant.txt': /beyond the signed 64-bit range/,
  'dtrace-real/dtrace-utils-aggs-tst.negquant.txt': /beyond the signed 64-bit range/,
  'dtrace-real/dtrace-utils-aggs-tst.signedkeys.txt': /is not bpftrace \(JSON or text\) or DTrace/,
  'dtrace-real/dtrace-utils-aggs-tst.signedkeyspos.txt':
    /is not bpftrace \(JSON or text\) or DTrace/,
  'dtrace-real/illumos-aggs-tst.aggencoding.txt': /drawn with the encoding=utf8 option/,
  'dtrace-real/illumos-aggs-tst.agghist.txt': /drawn with the agghist option/,
  'dtrace-real/illumos-aggs-tst.aggpackzoom.txt': /drawn with the aggpack option/,
  'presets-equivalents/profile.out.json': /holds no histograms/, // counts of stacks
  'presets-equivalents/profile.out.txt': /holds no histograms/,
};

const tmp = useTempDir('fixture-chain-');
let engine: SqlEngine;

beforeAll(async () => {
  engine = await sqlEngine({
    bytes: readFileSync(join(packageRoot(), 'node_modules/sql.js/dist/sql-wasm.wasm')),
  });
});

describe('each captured tracer output: parse -> store -> viewer loader, same counts', () => {
  const all = captures();
  it.each(all)('%s', (name) => throughTheChain(name));
  it('lists only fixtures that exist', () => {
    for (const name of Object.keys(REFUSED)) expect(all).toContain(name);
  });
});

async function throughTheChain(name: string): Promise<void> {
  const path = join(FIXTURES, name);
  const output = tmp(`${name.replaceAll('/', '_')}.db`);
  const write = () => importTrace(path, output, { commandLine: ['test'], startMs: START_MS });
  const refusal = REFUSED[name];
  if (refusal) {
    expect(write).toThrow(HeatError);
    expect(write).toThrow(refusal);
    expect(existsSync(output)).toBe(false);
    return;
  }
  const parsed = parse(path).snapshots;
  write();
  const rec = await openRecording(readFileSync(output), name, engine);
  expect(rec.end - rec.t0).toBe(parsed.length);
  expect(gridCounts(rec)).toEqual(parsedCounts(parsed));
}

/** Every captured output file (not its .stderr, script or README), relative to test/fixtures. */
function captures(): string[] {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : [p];
    });
  return CAPTURES.flatMap((d) => files(join(FIXTURES, d)))
    .filter((p) => !/\.(stderr|bt|d|md)$|\/errors\//.test(p))
    .map((p) => relative(FIXTURES, p))
    .sort();
}

function parse(path: string) {
  return parseTrace(
    { name: path, text: readFileSync(path, 'utf8'), savedMs: START_MS },
    undefined,
    START_MS,
  );
}

/**
 * "t|lo|hi" -> heat over all aggregations and keys, as the viewer's grid keys them (gridCounts):
 * bounds and counts as doubles, an open end null, empty cells left out. The heat is the positive
 * counts alone (schemas/negative-counts.ts): a negative count (a D weight) cancels no other key's.
 */
function parsedCounts(seconds: Snapshot[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of seconds)
    for (const h of s.histograms)
      for (const b of h.buckets) {
        if (b.count <= 0n) continue;
        const key = `${s.t}|${num(b.lo)}|${num(b.hi)}`;
        out.set(key, (out.get(key) ?? 0) + Number(b.count));
      }
  return out;
}

const num = (v: bigint | null): number | null => (v === null ? null : Number(v));
