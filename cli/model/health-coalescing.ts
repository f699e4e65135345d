// Folds a second's repeated tracer messages into one health row each. A D runtime error is
// reported once per event (Linux DTrace's `vtimestamp` error: one stderr line per syscall,
// about a million a second), differing only in addresses and probe ids; a row per line would
// bury the recording's health table. Drops keep their own counts, summed.

import type { HealthEvent } from './snapshot.js';

/** The message with what varies per event (hex addresses, numbers) blanked out. */
export function messageShape(message: string): string {
  return message.replace(/\b0x[0-9a-f]+/gi, '@').replace(/\d+/g, '#');
}

/** One event per kind and message shape, in first-seen order, counts summed; the first text kept. */
export function coalesceHealth(events: readonly HealthEvent[]): HealthEvent[] {
  const byShape = new Map<string, HealthEvent>();
  for (const e of events) {
    const shape = `${e.kind}\u0000${messageShape(e.message)}`;
    const seen = byShape.get(shape);
    if (seen) seen.count += e.count;
    else byShape.set(shape, { ...e });
  }
  return [...byShape.values()];
}
