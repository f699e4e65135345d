// The viewer's state: the open recording (or why it could not be opened) and every setting of
// the view, as runes. Big values (the recording, grids, windows) are $state.raw and replaced,
// never mutated. Drawing is not done here: components watch this state and schedule a frame.

import type { Mark } from '../../../schemas/marks.js';
import { nameOfUrl } from '../load/read-source.js';
import { openEmbeddedRecording, openFileRecording, openUrlRecording } from '../load/open-source.js';
import type { EmbeddedRecording } from '../load/embedded-recording.js';
import { cancelWarmUp } from './warm-up.js';
import { IN_PARTS_FROM, openRecording } from '../load/open-recording.js';
import { asRecordingError, type RecordingError } from '../load/recording-error.js';
import type { AxisScale } from '../model/bucket-axis.js';
import type { ColourScale, ColourScaleKind } from '../model/colour-scale.js';
import {
  ALL_KEYS,
  decodeSelection,
  encodeSelection,
  exclude,
  include,
  includedIds,
  isolate,
  type KeySelection,
} from '../model/key-selection.js';
import { summarizeRange, type RangeSelection, type RangeSummary } from '../model/range-summary.js';
import { computeHeatFrame, type HeatFrame } from '../model/heat-frame.js';
import type { Recording } from '../model/recording.js';
import { unlessPending, type AppendedSecond } from '../model/recording-source.js';
import {
  DEFAULT_SETTINGS,
  decodeViewHash,
  encodeViewHash,
  type ViewSettings,
} from '../model/view-hash.js';
import {
  clampWindow,
  fitAll,
  followEdge,
  jumpTo,
  panWindow,
  span,
  zoomWindow,
  type TimeBounds,
  type ViewWindow,
} from '../model/view-window.js';
import { PALETTES, type PaletteName } from '../render/palette.js';
import { followRecording } from './recording-events.js';
import { PaintTiming } from './paint-timing.js';

export type DragMode = 'pan' | 'select' | 'band';

export class ViewerState {
  recording = $state.raw<Recording | null>(null);
  error = $state.raw<RecordingError | null>(null);
  loading = $state<string | null>(null);

  window = $state.raw<ViewWindow>({ start: 0, end: 60 });
  selection = $state.raw<KeySelection>(ALL_KEYS);
  yScale = $state<AxisScale>('log');
  colour = $state<ColourScaleKind>('log');
  clamp = $state<number | null>(null);
  share = $state(false);
  paletteName = $state<PaletteName>(DEFAULT_SETTINGS.palette as PaletteName);
  lines = $state.raw<number[]>([50, 99]);
  utc = $state(false);
  dragMode = $state<DragMode>('pan');
  range = $state.raw<RangeSelection | null>(null);
  /** True while a select drag is under way: the range follows the pointer and is not final yet. */
  selecting = $state(false);
  /** performance.now() when the last select drag was released (the stacks bench times from it). */
  releasedAt: number | null = null;
  /** The heat map's frame computed last, and so drawn (its canvas paints it in the same task). */
  shown = $state.raw<HeatFrame | null>(null);
  /** The colour scale of the frame shown (for the legend). */
  legendScale = $derived<ColourScale | null>(this.shown?.scale ?? null);
  /** Replay cursor in seconds, or null when not replaying. */
  cursor = $state<number | null>(null);
  /** False from opening a recording until its map is first painted: the side panels wait for it. */
  painted = $derived(this.shown !== null);
  /** Bumped when seconds are appended to the open recording (its grids grew in place). */
  dataVersion = $state(0);
  /** The open recording's marks in time order: read at open, then any streamed live or added here. */
  marks = $state.raw<Mark[]>([]);
  /** Bumped when finer counts read in the background can be drawn. */
  detailVersion = $state(0);

  /** The counts of the selected keys at every rollup level; frames read the level they need. */
  counts = $derived(this.recording ? this.recording.counts(this.selection) : null);
  /** Null while the range's counts are still being read from a file opened in parts. */
  rangeSummary = $derived.by<RangeSummary | null>(() => {
    const rec = this.recording;
    const range = this.range;
    void this.detailVersion;
    return rec && range
      ? unlessPending(
          () => summarizeRange(rec, range, includedIds(this.selection, rec.seriesIds)),
          null,
        )
      : null;
  });

  /** Opening to first whole paint, timed (for the benchmark and tests). */
  readonly timing = new PaintTiming();
  /** The frame computed last, kept (not reactive) to lend its buffers to the next one. */
  private lastFrame: HeatFrame | null = null;
  /** Files at least this large are opened in parts (a setting for tests). */
  inPartsFrom = IN_PARTS_FROM;
  /** Stops following the recording shown. */
  private unfollow: () => void = () => undefined;

  get bounds(): TimeBounds {
    void this.dataVersion;
    return this.recording ? { t0: this.recording.t0, end: this.recording.end } : { t0: 0, end: 60 };
  }

  async openFile(file: File): Promise<void> {
    await this.openFrom(file.name, (bytesInHand) =>
      openFileRecording(file, this.inPartsFrom, bytesInHand),
    );
  }

  /** @param name shown as the file's name @default the URL's last path segment */
  async openUrl(url: string, name = nameOfUrl(url)): Promise<void> {
    await this.openFrom(name, (bytesInHand) =>
      openUrlRecording(url, name, this.inPartsFrom, bytesInHand),
    );
  }

  /** Opens the recording carried inside a single-file page. */
  async openEmbedded(embedded: EmbeddedRecording): Promise<void> {
    await this.openFrom(embedded.name, (bytesInHand) =>
      openEmbeddedRecording(embedded, this.inPartsFrom, bytesInHand),
    );
  }

  /** Opens bytes in hand (drag and drop, tests); `hash` restores a view. */
  async openBytes(bytes: Uint8Array, name: string, hash = location.hash): Promise<void> {
    await this.openFrom(name, async () => openRecording(bytes, name), hash);
  }

  /** @param open opens the recording; it calls bytesInHand once the whole file is read (if it reads it whole) */
  private async openFrom(
    name: string,
    open: (bytesInHand: () => void) => Promise<Recording>,
    hash = location.hash,
  ): Promise<void> {
    cancelWarmUp();
    this.loading = name;
    this.error = null;
    this.timing.opening();
    try {
      const recording = await open(() => this.timing.bytesInHand());
      performance.mark('heat:opened');
      const settings = decodeViewHash(hash);
      recording.counts(decodeSelection(settings.keys, recording.seriesIds));
      performance.mark('heat:grid');
      this.show(recording, settings);
    } catch (err) {
      this.timing.failed();
      this.error = asRecordingError(err, name);
    } finally {
      this.loading = null;
    }
  }

  private show(recording: Recording, s: ViewSettings): void {
    this.error = null;
    this.range = null;
    this.cursor = null;
    this.shown = null;
    this.unfollow();
    this.unfollow = followRecording(recording, {
      detail: () => this.detailVersion++,
      failed: (err) => (this.error = err),
      note: () => this.dataVersion++,
    });
    this.recording = recording;
    this.marks = recording.info.marks;
    this.applySettings(s);
  }

  /** Applies hash settings (on open and when the hash is edited). */
  applySettings(s: ViewSettings): void {
    const rec = this.recording;
    if (!rec) return;
    this.selection = decodeSelection(s.keys, rec.seriesIds);
    this.yScale = s.yScale ?? rec.defaultScale;
    this.colour = s.colour;
    this.clamp = s.clamp;
    this.share = s.share;
    this.paletteName = (PALETTES as readonly string[]).includes(s.palette)
      ? (s.palette as PaletteName)
      : (DEFAULT_SETTINGS.palette as PaletteName);
    this.lines = s.lines;
    this.window = s.window ? clampWindow(s.window, this.bounds) : fitAll(this.bounds);
  }

  /** The view as URL hash text. */
  toHash(): string {
    const rec = this.recording;
    const full = rec && this.window.start <= rec.t0 && this.window.end >= rec.end;
    return encodeViewHash({
      window: full ? null : this.window,
      keys: encodeSelection(this.selection),
      yScale: rec && this.yScale === rec.defaultScale ? null : this.yScale,
      colour: this.colour,
      clamp: this.clamp,
      share: this.share,
      palette: this.paletteName,
      lines: this.lines,
    });
  }

  /** A select drag ended with this range (null: it was a click, which clears the range). */
  releaseRange(range: RangeSelection | null): void {
    this.releasedAt = range ? performance.now() : null;
    this.range = range;
    this.selecting = false;
  }

  /**
   * Computes the heat map's next frame for a plot of width x height device px (one column per
   * pixel) from the view's settings, and makes it the frame shown. Null with no recording open.
   * @param dpr device px per CSS px
   */
  nextFrame(width: number, height: number, dpr: number): HeatFrame | null {
    const rec = this.recording;
    const counts = this.counts;
    if (!rec || !counts || width <= 0 || height <= 0) return null;
    const input = {
      counts,
      axis: rec.axis,
      yScale: this.yScale,
      window: this.window,
      width,
      height,
      dpr,
      colour: { kind: this.colour, clamp: this.clamp },
      share: this.share,
    };
    const heat = computeHeatFrame(input, this.lastFrame);
    this.lastFrame = this.shown = heat;
    return heat;
  }

  setWindow(w: ViewWindow): void {
    this.window = clampWindow(w, this.bounds);
  }

  /** factor < 1 zooms in, about `anchor` (0..1 across the window). */
  zoom(factor: number, anchor = 0.5): void {
    this.window = zoomWindow(this.window, factor, anchor, this.bounds);
  }

  pan(seconds: number): void {
    this.window = panWindow(this.window, seconds, this.bounds);
  }

  /** Pans by a fraction of the window's width. */
  panBy(fraction: number): void {
    this.pan(span(this.window) * fraction);
  }

  fit(): void {
    this.window = fitAll(this.bounds);
  }

  jump(where: 'start' | 'end'): void {
    this.window = jumpTo(this.window, where, this.bounds);
  }

  isolateKeys(ids: Iterable<number>): void {
    if (this.recording) this.selection = isolate(ids, this.recording.seriesIds);
  }

  excludeKeys(ids: Iterable<number>): void {
    if (this.recording) this.selection = exclude(this.selection, ids, this.recording.seriesIds);
  }

  includeKeys(ids: Iterable<number>): void {
    if (this.recording) this.selection = include(this.selection, ids, this.recording.seriesIds);
  }

  showAllKeys(): void {
    this.selection = ALL_KEYS;
  }

  /** Adds a second from a live tail; a view at the right edge keeps following it. */
  appendSecond(second: AppendedSecond): void {
    const rec = this.recording;
    if (!rec) return;
    const oldEnd = rec.end;
    rec.appendSecond(second);
    this.dataVersion++;
    this.window = followEdge(this.window, oldEnd, this.bounds);
  }

  /** A live recording has ended: its meta now says how and when, as the file on disk does. */
  markEnded(end: { reason: string; status?: string; endMs?: number }): void {
    const meta = this.recording?.info.meta;
    if (!meta) return;
    meta.end_reason = end.reason;
    if (end.status) meta.status = end.status;
    if (end.endMs !== undefined && Number.isFinite(end.endMs)) meta.end_ms = String(end.endMs);
    this.dataVersion++;
  }

  /** Shows one more mark (streamed live, or added in the viewer); one already shown (same id) is kept once. */
  showMark(mark: Mark): void {
    if (this.marks.some((m) => m.id === mark.id)) return;
    this.marks = [...this.marks, mark].sort((a, b) => a.atMs - b.atMs || a.id - b.id);
  }

  resetView(): void {
    this.applySettings(DEFAULT_SETTINGS);
  }
}
