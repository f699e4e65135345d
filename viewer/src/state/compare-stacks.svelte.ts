// The differential flame graph of Compare: the box drawn on the map taken to the same offset
// and band in A's and B's windows (model/compare-box.ts), each side's stacks read with its own
// keys, merged into one tree coloured by the change in share from A to B.

import { untrack } from 'svelte';
import { bandOnAxis, boxOnBothSides, type SideSpan } from '../model/compare-box.js';
import { buildDiffTree, type FlameNode } from '../model/flame-tree.js';
import { includedIds } from '../model/key-selection.js';
import type { RangeSelection } from '../model/range-summary.js';
import type { Recording } from '../model/recording.js';
import { readBoxStacks, type BoxStacks } from '../model/stack-box.js';
import type { CompareSide } from '../model/compare-sides.js';
import type { CompareState } from './compare.svelte.js';
import type { ViewerState } from './viewer-state.svelte.js';

export type CompareStacksStatus =
  'no-box' | 'outside' | 'no-stacks' | 'reading' | 'ready' | 'failed';

export class CompareStacks {
  status = $state<CompareStacksStatus>('no-box');
  tree = $state.raw<FlameNode | null>(null);
  /** The box's seconds on each side, as read. */
  spans = $state.raw<{ a: SideSpan; b: SideSpan } | null>(null);
  error = $state<string | null>(null);
  private generation = 0;
  /** What the last read was of, so a redraw of Compare (a pan) does not read the same again. */
  private readKey = '';

  constructor(viewer: ViewerState, compare: CompareState) {
    $effect(() => {
      const [a, b, range] = [compare.a, compare.b, viewer.range];
      void viewer.detailVersion;
      if (viewer.selecting) return;
      const map = viewer.recording;
      untrack(() => void this.read(a, b, range, map));
    });
  }

  private async read(
    a: CompareSide | null,
    b: CompareSide | null,
    range: RangeSelection | null,
    map: Recording | null,
  ): Promise<void> {
    const spans =
      a && b && range && map
        ? boxOnBothSides(
            range,
            { ...a, onMap: a.recording === map },
            { ...b, onMap: b.recording === map },
          )
        : null;
    const key = JSON.stringify([
      spans,
      range?.rows,
      a?.selection,
      b?.selection,
      b?.recording.info.name,
    ]);
    if (key === this.readKey && this.status !== 'failed') return;
    this.readKey = key;
    const generation = ++this.generation;
    this.error = null;
    this.spans = spans;
    if (!a || !b || !range || !map) return this.settle('no-box', null);
    if (!spans) return this.settle('outside', null);
    if (!a.recording.hasStacks || !b.recording.hasStacks) return this.settle('no-stacks', null);
    this.status = 'reading';
    const current = () => generation === this.generation;
    const side = (s: CompareSide, span: SideSpan) =>
      readBoxStacks(
        s.recording,
        {
          ...span,
          buckets: bandOnAxis(range.rows, map.axis, s.recording.axis),
          ids: includedIds(s.selection, s.recording.seriesIds),
        },
        current,
      );
    try {
      const [sa, sb] = await Promise.all([side(a, spans.a), side(b, spans.b)]);
      if (sa && sb && current()) this.settle('ready', diffTree(sa, sb));
    } catch (err) {
      if (!current()) return;
      this.error = (err as Error).message;
      this.settle('failed', null);
    }
  }

  private settle(status: CompareStacksStatus, tree: FlameNode | null): void {
    this.status = status;
    this.tree = tree;
  }
}

function diffTree(a: BoxStacks, b: BoxStacks): FlameNode {
  return buildDiffTree(a.stacks, b.stacks);
}
