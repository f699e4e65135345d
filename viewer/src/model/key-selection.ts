// Which keys (series) the map sums: all of them, only some, or all but some. Kept as the
// shorter of the two lists, so a link that isolates one key of 400 stays short.

export type KeySelection =
  | { mode: 'all' }
  | { mode: 'only'; ids: readonly number[] }
  | { mode: 'except'; ids: readonly number[] };

export const ALL_KEYS: KeySelection = { mode: 'all' };

/** The series ids a selection includes, in the order of allIds. */
export function includedIds(sel: KeySelection, allIds: readonly number[]): number[] {
  if (sel.mode === 'all') return [...allIds];
  const set = new Set(sel.ids);
  return allIds.filter((id) => (sel.mode === 'only' ? set.has(id) : !set.has(id)));
}

/** The selection that includes exactly `ids`, in its shortest form. */
export function selectionOf(ids: Iterable<number>, allIds: readonly number[]): KeySelection {
  const set = new Set(ids);
  const inside = allIds.filter((id) => set.has(id));
  const outside = allIds.filter((id) => !set.has(id));
  if (outside.length === 0) return ALL_KEYS;
  return inside.length <= outside.length
    ? { mode: 'only', ids: inside }
    : { mode: 'except', ids: outside };
}

/** Shows only these keys. */
export function isolate(ids: Iterable<number>, allIds: readonly number[]): KeySelection {
  return selectionOf(ids, allIds);
}

/** Removes these keys from what is shown. */
export function exclude(
  sel: KeySelection,
  ids: Iterable<number>,
  allIds: readonly number[],
): KeySelection {
  const drop = new Set(ids);
  return selectionOf(
    includedIds(sel, allIds).filter((id) => !drop.has(id)),
    allIds,
  );
}

/** Adds these keys to what is shown. */
export function include(
  sel: KeySelection,
  ids: Iterable<number>,
  allIds: readonly number[],
): KeySelection {
  return selectionOf([...includedIds(sel, allIds), ...ids], allIds);
}

/** Hash form: "all", "only:3,7", "except:2". */
export function encodeSelection(sel: KeySelection): string {
  return sel.mode === 'all' ? 'all' : `${sel.mode}:${sel.ids.join(',')}`;
}

/** Reads the hash form back; anything unreadable is all keys. */
export function decodeSelection(text: string, allIds: readonly number[]): KeySelection {
  const m = /^(only|except):([\d,]*)$/.exec(text);
  if (!m) return ALL_KEYS;
  const ids = m[2]!.split(',').filter(Boolean).map(Number);
  return m[1] === 'only' ? selectionOf(ids, allIds) : exclude(ALL_KEYS, ids, allIds);
}
