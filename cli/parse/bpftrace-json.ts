// Parser for `bpftrace -f json` output: one JSON object per line (NDJSON), 0.17 through 0.26 shapes.
// Blank lines are skipped; each line is dispatched on its `type`:
//   {"type": "time", "data": "04:46:50\n"}
//   {"type": "hist", "data": {"@lat_us": {"186": [{"max": -1, "count": 2}, {"min": 0, "max": 0, "count": 5},
//     {"min": 2, "max": 3, "count": 9}]}}}
//   {"type": "lost_events", "data": {"events": 12}}   (0.24+: also a top-level "count")
// Bucket min and max are inclusive; hist's underflow has no min, lhist's overflow no max
// ({"min": 100, "count": 1}). Keys are strings, several keys joined by a bare comma; 0.24+ may write
// integers as strings and prints {"@x": {}} for an empty map. Real outputs: test/fixtures/bpftrace-0.17/.
// Also classifies bpftrace's stderr lines.

import type { SchemeName } from '../../schemas/format.js';
import { HeatError } from '../model/heat-error.js';
import { INT64_MIN } from '../model/int64.js';
import type { Bucket, HealthEvent } from '../model/snapshot.js';
import { splitKey } from './bpftrace-keys.js';
import {
  splitStackKey,
  STACK_KEYS_PER_SECOND,
  STACK_MAP_SUFFIX,
  type StackKind,
  type UserFrameNamer,
} from './bpftrace-stacks.js';
import { followsBucket, inferScheme } from './bucket-scheme.js';
import { LineSplitter } from './line-splitter.js';
import {
  parseMarker,
  STACKS_OVER_MARKER,
  type TraceEvent,
  type TraceParser,
} from './trace-event.js';

/** True when the output starts like bpftrace JSON: a `{"type": ...}` object after any blank lines. */
export function isBpftraceJson(firstBytes: string): boolean {
  return /^\s*\{\s*"type"\s*:\s*"[a-z_]+"/.test(firstBytes);
}

/**
 * Classifies one stderr line of bpftrace: null when it is blank or harmless, else a health event.
 * `ERROR: ...` → error, `WARNING: ...` → warning, `Lost N events` → drop, anything else → warning.
 */
export function parseBpftraceStderrLine(line: string): HealthEvent | null {
  const text = line.trim();
  // Printed at every start on hosts without CAP_SYS_RESOURCE (containers): bpftrace cannot raise the
  // locked-memory limit, but kernels ≥ 5.11 charge BPF maps to the memory cgroup instead, so the
  // program loads fine. A real load failure shows as a non-zero exit, not as this line.
  if (text === '' || text.includes("couldn't set RLIMIT_MEMLOCK")) return null;
  const lost = /^Lost (\d+) events/.exec(text);
  if (lost) return { kind: 'drop', message: `bpftrace: ${text}`, count: Number(lost[1]) };
  if (STACK_MAP_FULL.test(text)) return { kind: 'drop', message: STACKS_LOST, count: 1 };
  const prefixed = /^(ERROR|WARNING):\s*(.*)$/.exec(text);
  if (prefixed)
    return {
      kind: prefixed[1] === 'ERROR' ? 'error' : 'warning',
      message: `bpftrace: ${prefixed[2]}`,
      count: 1,
    };
  return { kind: 'warning', message: `bpftrace: ${text}`, count: 1 };
}

/**
 * bpftrace's stack map never frees a stack, and a new stack whose slot a different one holds is
 * refused (EEXIST, stack id -17); printing a key holding one says so on stderr, once per key.
 */
const STACK_MAP_FULL = /failed to look up stack id -17\b/;
const STACKS_LOST =
  "stacks lost: bpftrace's stack map had no free slot for them (it keeps every stack of the run); their events are counted under [no stack]";

/** An object from one output line; fields are read defensively because versions differ. */
type JsonObject = Record<string, unknown>;

/**
 * Incremental parser of `bpftrace -f json` stdout.
 * - `hist` maps → one histogram event per entry (keyless → key []); zero-count buckets dropped. Each
 *   hist line is one print, so its entries carry the line number as their print.
 * - `printf` holding `heat-tracer:tick|end` → tick; `time` → interval-start, and so does a blank line:
 *   0.17 prints two after END's output, before dumping the maps not cleared (a partial interval in
 *   saved output; checked with bpftrace 0.17 here: END's printf lines come first).
 * - `lost_events`, `helper_error`, `runtime_error`, `errorf`, `warnf`, `print_error` → health.
 * - Other types (count/sum maps, stats, tseries, value, cat, join, attached_probes) are ignored.
 * - A line that is not a JSON object → skipped; a hist whose buckets make no sense → HeatError.
 */
export class BpftraceJsonParser implements TraceParser {
  private readonly lines = new LineSplitter();
  private lineNo = 0;
  /** Events past the stack budget so far (bpftrace-stack-maps.ts prints a running total). */
  private stacksOver = 0;

  /**
   * @param keyArity aggregation name → key elements, to split keys holding commas (see splitKey)
   * @param schemeHints aggregation name → scheme known from the script; others are inferred from the bounds
   * @param stackKinds stack map name → its trailing stack elements (bpftrace-stacks.ts): their entries
   *   become histograms of the map the user wrote, with the frames of their stack
   * @param nameUserFrame names the user frames bpftrace left as addresses; given, the companions'
   *   keys hold the pid before their stacks (bpftrace-stack-maps.ts) @default none: no pid
   */
  constructor(
    private readonly keyArity: ReadonlyMap<string, number> = new Map(),
    private readonly schemeHints: ReadonlyMap<string, SchemeName> = new Map(),
    private readonly stackKinds: ReadonlyMap<string, readonly StackKind[]> = new Map(),
    private readonly nameUserFrame?: UserFrameNamer,
  ) {}

  push(chunk: string): TraceEvent[] {
    return this.lines.push(chunk).flatMap((line) => this.parseLine(line));
  }

  end(): TraceEvent[] {
    return this.lines.end().flatMap((line) => this.parseLine(line));
  }

  private parseLine(line: string): TraceEvent[] {
    this.lineNo++;
    if (line.trim() === '') return [{ type: 'interval-start' }];
    const obj = parseJsonLosslessly(line);
    if (obj === null || typeof obj.type !== 'string') {
      return [{ type: 'skipped', line: this.lineNo, reason: 'not a bpftrace JSON object' }];
    }
    return this.dispatch(obj);
  }

  private dispatch(obj: JsonObject): TraceEvent[] {
    switch (obj.type) {
      case 'hist':
        return this.histograms(obj.data);
      case 'printf':
        return this.printed(obj.data);
      case 'time':
        return [{ type: 'interval-start' }];
      case 'lost_events':
        return [{ type: 'health', event: lostEvents(obj) }];
      case 'helper_error':
      case 'runtime_error':
      case 'print_error':
      case 'errorf':
        return [{ type: 'health', event: { kind: 'error', message: errorMessage(obj), count: 1 } }];
      case 'warnf':
        return [
          { type: 'health', event: { kind: 'warning', message: errorMessage(obj), count: 1 } },
        ];
      default:
        return [];
    }
  }

  /** The recorder's markers in a printf: ticks, and the running total of events past the stack budget. */
  private printed(data: unknown): TraceEvent[] {
    if (typeof data !== 'string') return [];
    return data.split('\n').flatMap((line): TraceEvent[] => {
      const marker = parseMarker(line);
      if (marker) return [{ type: 'tick', ...marker }];
      const over = STACKS_OVER_LINE.exec(line);
      if (!over) return [];
      const total = Number(over[1]);
      const n = total - this.stacksOver;
      this.stacksOver = total;
      return n > 0 ? [{ type: 'health', event: stacksOver(n) }] : [];
    });
  }

  /** `{"@name": [buckets]}` (keyless) or `{"@name": {"key": [buckets], ...}}`; `{}` / `[]` are empty. */
  private histograms(data: unknown): TraceEvent[] {
    if (!isObject(data)) throw this.broken('hist event without a {"@name": ...} object');
    const events: TraceEvent[] = [];
    for (const aggregation in data) {
      const value = data[aggregation];
      if (Array.isArray(value)) {
        this.histogram(events, aggregation, [], value);
      } else if (isObject(value)) {
        const kinds = this.stackKinds.get(aggregation);
        if (kinds) {
          this.stackHistograms(events, aggregation, kinds, value);
          continue;
        }
        const arity = this.keyArity.get(aggregation);
        for (const key in value)
          this.histogram(events, aggregation, splitKey(key, ',', arity), value[key]);
      } else {
        throw this.broken(`${aggregation} holds neither buckets nor keyed buckets`);
      }
    }
    return events;
  }

  /** A stack map's entries: histograms of the user's map (`@lat__heat_stk__heat_even` -> `@lat__heat_even`) with frames. */
  private stackHistograms(
    events: TraceEvent[],
    aggregation: string,
    kinds: readonly StackKind[],
    entries: JsonObject,
  ): void {
    const arity = this.keyArity.get(aggregation);
    const histogram = aggregation.replace(STACK_MAP_SUFFIX, '');
    const pidKeyed = this.nameUserFrame !== undefined && kinds.includes('user');
    for (const key in entries) {
      const split = this.splitStacks(key, kinds, pidKeyed);
      if (!split) {
        events.push({
          type: 'skipped',
          line: this.lineNo,
          reason: 'a stack key without its stacks',
        });
        continue;
      }
      const rest = splitKey(
        split.rest,
        ',',
        arity === undefined ? undefined : arity - kinds.length - (pidKeyed ? 1 : 0),
      );
      this.histogram(events, histogram, rest, entries[key], aggregation, split.frames);
    }
  }

  /** The key's stacks, and the rest of it without the pid when the key holds one. */
  private splitStacks(key: string, kinds: readonly StackKind[], pidKeyed: boolean) {
    const bare = splitStackKey(key, kinds);
    if (!pidKeyed || !bare) return bare;
    // The pid is the rest's last element; with it, split again naming the user frames.
    const cut = bare.rest.lastIndexOf(',');
    const pid = Number(bare.rest.slice(cut + 1));
    const named = splitStackKey(key, kinds, (address) => this.nameUserFrame!(pid, address));
    return { rest: cut < 0 ? '' : bare.rest.slice(0, cut), frames: named!.frames };
  }

  /** Appends the histogram's event to `events` (none when every bucket is zero). Runs once per key per second: kept lean. */
  private histogram(
    events: TraceEvent[],
    aggregation: string,
    key: string[],
    list: unknown,
    printedAs = aggregation,
    frames?: string[],
  ): void {
    if (!Array.isArray(list))
      throw this.broken(`${aggregation}[${key.join(',')}] is not a bucket list`);
    const hint = this.schemeHints.get(printedAs);
    const all: Bucket[] | null = hint ? null : [];
    const buckets: Bucket[] = [];
    let previous: Bucket | null = null;
    for (const raw of list) {
      const b = this.bucket(raw);
      if (previous && !followsBucket(previous, b))
        throw this.broken(`${aggregation} buckets are not in ascending order`);
      previous = b;
      all?.push(b);
      if (b.count !== 0n) buckets.push(b);
    }
    if (buckets.length === 0) return;
    const scheme = hint ?? inferScheme(all!);
    events.push({
      type: 'histogram',
      histogram: frames
        ? { aggregation, key, scheme, buckets, frames }
        : { aggregation, key, scheme, buckets },
      print: this.lineNo,
    });
  }

  /** `{"min": a, "max": b, "count": n}` (inclusive); no min = underflow, no max = overflow. */
  private bucket(raw: unknown): Bucket {
    if (!isObject(raw)) throw this.broken('a bucket is not an object');
    const count = toBigInt(raw.count);
    const lo = raw.min === undefined ? null : toBigInt(raw.min);
    const hi = raw.max === undefined ? null : toBigInt(raw.max);
    if (
      count === null ||
      count < 0n ||
      (raw.min !== undefined && lo === null) ||
      (raw.max !== undefined && hi === null)
    ) {
      throw this.broken(`bucket ${JSON.stringify(raw)} has a bad number`);
    }
    if (lo !== null && hi !== null && lo > hi)
      throw this.broken(`bucket ${JSON.stringify(raw)} has its min above its max`);
    // 0.17 computes hist indexes on 32 bits: every value ≥ 2^31 lands in a last bucket printed with
    // an overflowed min (1 << 31 as int). Its true range is [2^31, ∞).
    if (lo === LEGACY_TOP_MIN && hi === 0n) return { lo: 2n ** 31n, hi: null, count };
    return { lo, hi, count };
  }

  private broken(what: string): HeatError {
    return new HeatError(
      `bpftrace JSON output, line ${this.lineNo}: ${what}`,
      'is this the output of bpftrace -f json?',
    );
  }
}

const LEGACY_TOP_MIN = -(2n ** 31n);

/** Every marker line inside a printf's text (normally the whole text is one marker). */
const STACKS_OVER_LINE = new RegExp(`^${STACKS_OVER_MARKER} (\\d+)$`);

/** Events that went past the stack budget (bpftrace-stack-maps.ts) since the last drain. */
function stacksOver(n: number): HealthEvent {
  return {
    kind: 'drop',
    message: `stacks not taken: events past the budget of ${STACK_KEYS_PER_SECOND} new stacks a second carry none`,
    count: n,
  };
}

/** 0.17: `{"data": {"events": N}}`; 0.24+: also a top-level `"count": N`. */
function lostEvents(obj: JsonObject): HealthEvent {
  const fromData = isObject(obj.data) ? toBigInt(obj.data.events) : null;
  const n = fromData ?? toBigInt(obj.count) ?? 1n;
  return {
    kind: 'drop',
    message: `bpftrace lost ${n} events (perf buffer full)`,
    count: Number(n),
  };
}

const ERROR_LABELS: Record<string, string> = {
  errorf: 'script error',
  warnf: 'script warning',
  runtime_error: 'runtime error',
  print_error: 'print error',
};

/**
 * errorf/warnf/runtime_error/print_error: `{"msg", "filename", "line", "col"}`; helper_error has `helper`
 * and `retcode` (plus `msg` from 0.24). The message names the place in the script when bpftrace gives it.
 */
function errorMessage(obj: JsonObject): string {
  const msg = typeof obj.msg === 'string' ? obj.msg.trim() : '';
  if (obj.type === 'helper_error') {
    const detail = msg ? ` (${msg})` : '';
    return `bpftrace helper ${String(obj.helper ?? '?')} failed with ${String(obj.retcode ?? '?')}${detail}${scriptPlace(obj)}`;
  }
  return `bpftrace ${ERROR_LABELS[String(obj.type)]}: ${msg || JSON.stringify(obj)}${scriptPlace(obj)}`;
}

/** " at file.bt:3:5", " at line 3:5", or "" when the event has no line. */
function scriptPlace(obj: JsonObject): string {
  if (obj.line === undefined) return '';
  const file =
    typeof obj.filename === 'string' && obj.filename !== '' ? `${obj.filename}:` : 'line ';
  const col = obj.col === undefined ? '' : `:${String(obj.col)}`;
  return ` at ${file}${String(obj.line)}${col}`;
}

// JSON.parse rounds integers past 2^53 (sums, 64-bit bounds), and Node 20 has no JSON.parse reviver
// with the source text. So before parsing, integer literals of 16 or more digits outside strings are
// quoted — the encoding bpftrace 0.24+ itself uses for such numbers — and toBigInt reads both forms.
// Strings are matched first so digits inside them are left alone; 15 digits always fit a double.
const STRING_OR_BIG_INT = /"(?:[^"\\]|\\.)*"|(?<![\w.+-])-?\d{16,}(?![\w.])/g;
const HAS_BIG_INT = /\d{16}/;

/** The object on one line, or null when the line is not a JSON object. */
function parseJsonLosslessly(line: string): JsonObject | null {
  try {
    // Most lines hold no such number: skip the rewrite (and the string it allocates per match).
    const safe = HAS_BIG_INT.test(line)
      ? line.replace(STRING_OR_BIG_INT, (m) => (m[0] === '"' ? m : `"${m}"`))
      : line;
    const value: unknown = JSON.parse(safe);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** A 64-bit integer (signed, or unsigned as bpftrace's counts) given as a JSON number or a decimal string, else null. */
function toBigInt(v: unknown): bigint | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? smallBigInt(v) : null;
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) return null;
  const n = BigInt(v);
  return n >= INT64_MIN && n <= UINT64_MAX ? n : null;
}

const UINT64_MAX = (1n << 64n) - 1n;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * BigInts of the values that repeat every second (bucket bounds, small counts), made once: the
 * recorder parses a map print a second and would otherwise allocate thousands of equal BigInts.
 */
const BIGINTS = new Map<number, bigint>();
const BIGINT_CACHE_LIMIT = 65_536;

function smallBigInt(n: number): bigint {
  let b = BIGINTS.get(n);
  if (b === undefined) {
    b = BigInt(n);
    if (BIGINTS.size < BIGINT_CACHE_LIMIT) BIGINTS.set(n, b);
  }
  return b;
}
