// The tail follows a file another process writes; a file that is briefly gone or unreadable must
// not end the server it runs in (heat-view, heat-record --serve): it looks again next time.

import { renameSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RecordingTail } from '../../cli/serve/recording-tail.js';
import { hist, openRecording, snapshot } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

describe('RecordingTail', () => {
  it('keeps going when the file is moved away, and reports the seconds once it is back', () => {
    const path = tmp('moved.db');
    const writer = openRecording(path);
    const append = (t: number) => writer.append(snapshot(t, [hist(['read'], [[1, 1, t + 1]])]));
    append(0);
    const tail = new RecordingTail(path);
    const seen: number[] = [];
    tail.subscribe({ second: (m) => seen.push(m.t), end: () => undefined });
    tail.start(60_000); // no polling: the test says when the tail looks
    renameSync(path, `${path}.away`);
    append(1);
    expect(() => tail.poke()).not.toThrow();
    expect(seen).toEqual([]);
    renameSync(`${path}.away`, path);
    append(2);
    tail.poke();
    expect(seen).toEqual([1, 2]);
    tail.stop();
    writer.finish({ end_reason: 'test', status: 'complete' });
  });
});
