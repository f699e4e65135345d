// Rewrites a D script's distribution assignments so the kernel books every event in the second it
// happens, into one of two aggregations by the second's parity. Linux DTrace 2.0 has no `if`, so
// the other parity gets the same call with weight 0:
//   @lat[k] = quantize(x);
// becomes
//   @lat__heat_even[timestamp / 1000000000, k] = quantize(x, (timestamp / 1000000000) % 2 == 0);
//   @lat__heat_odd[timestamp / 1000000000, k] = quantize(x, (timestamp / 1000000000) % 2 == 1);
// The drain after each second prints and truncates only the aggregation of the parity that just
// ended, which no event adds to any more. Truncating the one being written loses events: trunc()
// removes what arrived since the consumer's snapshot moments before (measured: up to 7 % of a
// second at a few hundred events/s beside a busy loop; exact once the drained one is idle).
// The weight-0 twins print as all-zero tables, which the assembler skips.

import { isDtraceFunction } from '../parse/dtrace-buckets.js';
import { EVEN_SUFFIX, ODD_SUFFIX } from './bpftrace-second-maps.js';
import {
  AGGREGATION,
  assignedCall,
  callArguments,
  skipBrackets,
  stripCommentsAndStrings,
} from './d-script-scan.js';

/** The kernel second of an event (`timestamp` is monotonic ns, as the tick marker's). */
export const D_SECOND = 'timestamp / 1000000000';

/** Arguments before the optional increment: quantize(v), lquantize(v, lo, hi[, step]), llquantize(v, f, lo, hi, steps). */
const VALUE_ARGS: Record<string, number> = { quantize: 1, lquantize: 4, llquantize: 5 };

/** Statements that print and truncate one parity of each distribution, in the order given. */
export function drainParity(aggregations: readonly string[], parity: 'even' | 'odd'): string {
  const suffix = parity === 'even' ? EVEN_SUFFIX : ODD_SUFFIX;
  return aggregations.map((a) => `printa(${a}${suffix}); trunc(${a}${suffix});`).join(' ');
}

/** The script with every distribution assignment split by second parity and keyed by second. */
export function splitBySecondParity(script: string): string {
  const code = stripCommentsAndStrings(script);
  const edits: { from: number; to: number; text: string }[] = [];
  for (const m of code.matchAll(AGGREGATION)) {
    const nameEnd = m.index + m[0].length;
    const call = assignedCall(code, nameEnd);
    if (!call || !isDtraceFunction(call.name)) continue;
    const parsed = callArguments(code, call.argsStart);
    if (!parsed) continue; // unbalanced: left for dtrace to report
    const key =
      call.keyOpen === null
        ? ''
        : script.slice(call.keyOpen + 1, skipBrackets(code, call.keyOpen) - 1).trim();
    const args = parsed.args.map((a) => script.slice(a.from, a.to).trim());
    const twin = (suffix: string, parity: number) =>
      `${m[0]}${suffix}[${key ? `${D_SECOND}, ${key}` : D_SECOND}] = ${call.name}(${weighted(call.name, args, `(${D_SECOND}) % 2 == ${parity}`).join(', ')})`;
    edits.push({
      from: m.index,
      to: parsed.close + 1,
      text: `${twin(EVEN_SUFFIX, 0)}; ${twin(ODD_SUFFIX, 1)}`,
    });
  }
  let out = script;
  for (const e of edits.reverse()) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

/** The call's arguments with the parity as its increment (times the script's own, if it gave one). */
function weighted(fn: string, args: string[], parity: string): string[] {
  const n = VALUE_ARGS[fn] ?? 1;
  const value = args.slice(0, n);
  if (fn === 'lquantize' && value.length === 3) value.push('1'); // step defaults to 1
  const own = args[n];
  return [...value, own === undefined ? parity : `(${own}) * (${parity})`];
}
