// Printed hints quote file names the way a shell needs them.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../cli/model/shell-word.js';

describe('shellWord', () => {
  it('leaves plain names alone', () => {
    expect(['run.db', '/tmp/a-b_c.db', 'host:8080'].map(shellWord)).toEqual([
      'run.db',
      '/tmp/a-b_c.db',
      'host:8080',
    ]);
  });

  it.each(['my run.db', "it's.db", '$HOME/*.db', 'a"b'])(
    '%s comes back whole through sh',
    (word) => {
      expect(execFileSync('sh', ['-c', `printf %s ${shellWord(word)}`], { encoding: 'utf8' })).toBe(
        word,
      );
    },
  );
});
