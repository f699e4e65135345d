// schemas/live-message.schema.json against real messages: a live recording streams hello, marks,
// seconds and its end, and every one of them must be valid; a message with a part missing or of
// the wrong type must not be, so the check can fail.

import type { EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { runCli, waitFor } from '../helpers/cli.js';
import { startLiveRecorder } from '../helpers/live-recorder.js';
import { invalidLiveEvents, liveMessageProblems } from '../helpers/live-message-schema.js';
import { connectSse } from '../helpers/sse-client.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

describe('the live-message JSON Schema', () => {
  let events: EventSourceMessage[] = [];

  it('accepts every message a live recording sends: hello, marks, seconds, end', async () => {
    const path = tmp('live.db');
    const rec = await startLiveRecorder([
      '-o',
      path,
      '--tracer',
      'synthetic',
      '--serve',
      '--duration',
      '5s',
      '--quiet',
    ]);
    const live = connectSse(`${rec.base}live`);
    await waitFor(() => live.events.some((e) => e.event === 'second'), 30_000, 'a live second');
    expect((await runCli(['mark', path, 'deploy v2'])).code).toBe(0);
    expect((await rec.done).code).toBe(0);
    await live.closed;
    events = live.events;
    expect(new Set(events.map((e) => e.event))).toEqual(
      new Set(['hello', 'mark', 'second', 'end']),
    );
    expect(invalidLiveEvents(events)).toEqual([]);
  });

  it('refuses a second without its counts, a count that is not an integer, and an unknown type', () => {
    const second = JSON.parse(events.find((e) => e.event === 'second')!.data) as Record<
      string,
      unknown
    >;
    const { counts: _counts, ...withoutCounts } = second;
    expect(liveMessageProblems(withoutCounts)).not.toBe('');
    expect(liveMessageProblems({ ...second, counts: [[1, 2, 1.5]] })).not.toBe('');
    expect(liveMessageProblems({ ...second, type: 'seconds' })).not.toBe('');
  });
});
