// The seconds of a tracer run with their C++ stack frames demangled (cxx-demangler.ts), for
// bpftrace and dtrace(1) alike: both name user frames from the symbol tables, which hold mangled
// names (`_ZN2ns6Worker9slow_pathEi`), and Linux DTrace 2.0 has no `demangle` option.
// A second's new mangled names go to c++filt in one batch; names seen before come from the cache.

import type { Histogram, Snapshot } from '../model/snapshot.js';
import { CxxDemangler, isMangled } from './cxx-demangler.js';

/** The snapshots as they come, their stack frames demangled; c++filt ends with the iteration. */
export async function* withDemangledFrames(
  snapshots: AsyncIterable<Snapshot>,
  demangler = new CxxDemangler(),
): AsyncGenerator<Snapshot> {
  try {
    for await (const s of snapshots) yield await demangleSnapshot(s, demangler);
  } finally {
    demangler.close();
  }
}

/** The snapshot with its stacks' mangled frames demangled (itself when it has none). */
export async function demangleSnapshot(s: Snapshot, demangler: CxxDemangler): Promise<Snapshot> {
  const names = mangledFrames(s.stacks ?? []);
  if (names.length === 0) return s;
  await demangler.learn(names);
  const stacks = s.stacks!.map((h) =>
    h.frames?.some(isMangled) ? { ...h, frames: h.frames.map((f) => demangler.nameOf(f)) } : h,
  );
  return { ...s, stacks };
}

/** Every mangled frame name of these stacks, in one pass (a second holds thousands of frames). */
function mangledFrames(stacks: readonly Histogram[]): string[] {
  const names: string[] = [];
  for (const h of stacks) for (const f of h.frames ?? []) if (isMangled(f)) names.push(f);
  return names;
}
