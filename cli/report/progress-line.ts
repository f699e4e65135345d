// One progress line on a terminal for long work (export --html, import, merge, clip):
// "export --html day.db  41 %  120/295 MB  ~6 s left", rewritten in place with \r and cleared at
// the end. Nothing at all when stderr is not a terminal or with --quiet, and nothing for work done
// within FIRST_AFTER_MS. The work is synchronous; a TTY write on Linux is too, so lines appear.

export interface ProgressLine {
  /** `done` of the total units are finished. */
  update(done: number): void;
  /** Clears the line (if one was shown). */
  end(): void;
}

export interface ProgressOptions {
  quiet: boolean;
  /** Formats done/total, e.g. as MB. @default "done/total" */
  format?: (done: number, total: number) => string;
  /** @default process.stderr */
  stream?: NodeJS.WriteStream;
  /** Clock in ms. @default Date.now */
  now?: () => number;
}

/** No line for work that ends this soon after it starts. */
export const FIRST_AFTER_MS = 500;
/** At most 10 lines a second. */
export const EVERY_MS = 100;

const NO_PROGRESS: ProgressLine = { update() {}, end() {} };

/** A progress line for `what` on stderr when it is a TTY and not --quiet; otherwise a no-op. */
export function progressLine(what: string, total: number, o: ProgressOptions): ProgressLine {
  const stream = o.stream ?? process.stderr;
  if (o.quiet || !stream.isTTY || total <= 0) return NO_PROGRESS;
  const now = o.now ?? Date.now;
  const format = o.format ?? ((done: number, all: number) => `${done}/${all}`);
  const started = now();
  let shownAt: number | null = null;
  return {
    update(done) {
      const t = now();
      if (t - started < FIRST_AFTER_MS || (shownAt !== null && t - shownAt < EVERY_MS)) return;
      shownAt = t;
      const line = `${what}  ${Math.floor((100 * done) / total)} %  ${format(done, total)}  ${timeLeft(t - started, done, total)}`;
      stream.write(`\r\x1b[K${line.slice(0, (stream.columns || 120) - 1)}`);
    },
    end() {
      if (shownAt !== null) stream.write('\r\x1b[K');
      shownAt = null;
    },
  };
}

/** A progress line whose total comes with the first update (a file's size once it is read). */
export function lateTotalProgress(
  what: string,
  o: ProgressOptions,
): { update(done: number, total: number): void; end(): void } {
  let line: ProgressLine | null = null;
  return {
    update(done, total) {
      line ??= progressLine(what, total, o);
      line.update(done);
    },
    end: () => line?.end(),
  };
}

/** "~12 s left" at the pace so far; "" before anything is done. */
export function timeLeft(elapsedMs: number, done: number, total: number): string {
  if (done <= 0) return '';
  const s = Math.ceil((elapsedMs * (total - done)) / done / 1000);
  return s >= 120 ? `~${Math.ceil(s / 60)} min left` : `~${s} s left`;
}

/** done/total bytes as "120/295 MB". */
export function megabytes(done: number, total: number): string {
  return `${(done / 1e6).toFixed(0)}/${(total / 1e6).toFixed(0)} MB`;
}
