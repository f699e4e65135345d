// Backfill for /live: the seconds a client asks for that were committed before it connected
// (?since=T, Last-Event-ID: T; -1 is the whole recording). They are read from the file and sent in
// chunks: one chunk per turn of the event loop, taken in turn from every backfilling client, each
// chunk sized to take about BUDGET.ms to read and format and to hold about BUDGET.bytes, and a
// client's next chunk only once its socket has taken the last ('drain'). Reading a day-long
// recording in one go instead stopped the loop for 25-30 s and held 2-3 GB per request; under
// heat-record --serve that loop is also the recorder's.

import type { ServerResponse } from 'node:http';
import type { RecordingTail } from './recording-tail.js';
import { secondFrame } from './sse-frame.js';

export interface BackfillJob {
  res: ServerResponse;
  /** The newest second this client has been sent; moved on as chunks are sent. */
  sentThrough: number;
  /** Called once every announced second is sent: the client takes live seconds from here on. */
  caughtUp(): void;
}

/** What one chunk may cost: the loop's longest stop for backfill, and the bytes held per client beyond its socket's buffer. */
export interface BackfillBudget {
  /** @default 3 */
  ms: number;
  /** @default 128 KiB */
  bytes: number;
}

const BUDGET: BackfillBudget = { ms: 3, bytes: 128 * 1024 };
const MAX_CHUNK_SECONDS = 512;

export class LiveBackfill {
  /** Jobs ready for their next chunk, in turn. */
  private readonly ready: BackfillJob[] = [];
  private turn: NodeJS.Immediate | null = null;
  /** Running estimates of one second's cost, to size the next chunk. */
  private msPerSecond: number;
  private bytesPerSecond = 1;

  constructor(
    private readonly tail: RecordingTail,
    private readonly budget: BackfillBudget = BUDGET,
  ) {
    this.msPerSecond = budget.ms; // the first chunk is one second, and measures
  }

  /** Sends the job every second after its sentThrough, then calls its caughtUp(). */
  start(job: BackfillJob): void {
    if (job.sentThrough >= this.tail.newestSecond) return job.caughtUp();
    this.ready.push(job);
    this.schedule();
  }

  close(): void {
    if (this.turn) clearImmediate(this.turn);
    this.turn = null;
    this.ready.length = 0;
  }

  private schedule(): void {
    this.turn ??= setImmediate(() => {
      this.turn = null;
      const job = this.ready.shift();
      if (job) this.sendChunk(job);
      if (this.ready.length > 0) this.schedule();
    });
  }

  private sendChunk(job: BackfillJob): void {
    if (job.res.destroyed) return;
    const started = performance.now();
    let text = '';
    let seconds = 0;
    try {
      for (const s of this.tail.secondsAfter(job.sentThrough, this.chunkSeconds())) {
        text += secondFrame(s);
        job.sentThrough = s.t;
        seconds++;
      }
    } catch {
      return void job.res.destroy(); // the file cannot be read now: the client reconnects and resumes
    }
    if (seconds > 0) this.learn((performance.now() - started) / seconds, text.length / seconds);
    const flowing = seconds === 0 || job.res.write(text);
    if (seconds === 0 || job.sentThrough >= this.tail.newestSecond) return job.caughtUp(); // 0: nothing more to read
    if (flowing) this.ready.push(job);
    else job.res.once('drain', () => this.start(job));
    this.schedule();
  }

  /** How many seconds the next chunk reads: as many as fit the budget at the cost seen so far. */
  private chunkSeconds(): number {
    const fit = Math.min(
      this.budget.ms / this.msPerSecond,
      this.budget.bytes / this.bytesPerSecond,
    );
    return Math.max(1, Math.min(MAX_CHUNK_SECONDS, Math.floor(fit)));
  }

  /** Moves the estimates halfway to the last chunk's cost per second. */
  private learn(ms: number, bytes: number): void {
    this.msPerSecond = (this.msPerSecond + Math.max(ms, 0.001)) / 2;
    this.bytesPerSecond = (this.bytesPerSecond + bytes) / 2;
  }
}
