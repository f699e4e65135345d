// The stacks of the box (or time range) selected on the map, for the flame graph beside the
// range panel: read once the drag is released (not at every pointer move), again when the keys
// shown change; a read still going when a new box is drawn is dropped.

import { untrack } from 'svelte';
import { buildFlameTree, type FlameNode } from '../model/flame-tree.js';
import { foldedText } from '../model/folded-stacks.js';
import { includedIds, type KeySelection } from '../model/key-selection.js';
import type { RangeSelection } from '../model/range-summary.js';
import type { Recording } from '../model/recording.js';
import { bucketIdsOfRows, readBoxStacks, type BoxStacks } from '../model/stack-box.js';
import type { ViewerState } from './viewer-state.svelte.js';

export type StacksStatus = 'no-box' | 'no-stacks' | 'reading' | 'ready' | 'failed';

export class StackView {
  status = $state<StacksStatus>('no-box');
  /** The box's stacks and the range they answer. */
  result = $state.raw<(BoxStacks & { range: RangeSelection }) | null>(null);
  error = $state<string | null>(null);
  tree = $derived<FlameNode | null>(this.result ? buildFlameTree(this.result.stacks) : null);
  /** Events in the box without a stack (below meta.stacks_above): the histogram's count minus the stacks'. */
  below = $derived.by(() => {
    const s = this.viewer.rangeSummary;
    const r = this.result;
    return s && r && s.selection === r.range ? Math.max(0, s.total - r.total) : 0;
  });
  private generation = 0;

  constructor(private readonly viewer: ViewerState) {
    $effect(() => {
      const rec = viewer.recording;
      const range = viewer.range;
      const selection = viewer.selection;
      if (viewer.selecting) return;
      untrack(() => void this.read(rec, range, selection));
    });
  }

  /** The selection's stacks as folded lines (FlameGraph, speedscope). */
  folded(): string {
    return foldedText(this.result?.stacks ?? []);
  }

  private async read(
    rec: Recording | null,
    range: RangeSelection | null,
    selection: KeySelection,
  ): Promise<void> {
    const generation = ++this.generation;
    this.error = null;
    if (!rec || !range) return this.settle('no-box', null);
    if (!rec.hasStacks) return this.settle('no-stacks', null);
    this.status = 'reading';
    const box = {
      from: range.from,
      to: range.to,
      buckets: range.rows ? bucketIdsOfRows(rec.axis, range.rows) : null,
      ids: includedIds(selection, rec.seriesIds),
    };
    try {
      const stacks = await readBoxStacks(rec, box, () => generation === this.generation);
      if (stacks) this.settle('ready', { ...stacks, range });
    } catch (err) {
      if (generation !== this.generation) return;
      this.error = (err as Error).message;
      this.settle('failed', null);
    }
  }

  private settle(status: StacksStatus, result: StackView['result']): void {
    this.status = status;
    this.result = result;
  }
}
