import { describe, expect, it } from 'vitest';
import { fileStem } from '../../../viewer/src/model/file-stem.js';

describe('fileStem', () => {
  it('drops only the last extension', () => {
    expect(fileStem('run.db')).toBe('run');
    expect(fileStem('nightly.2026-12-06.db')).toBe('nightly.2026-12-06');
    expect(fileStem('run.html')).toBe('run');
  });

  it('keeps a name without an extension whole', () => {
    expect(fileStem('run')).toBe('run');
    expect(fileStem('my run-1')).toBe('my run-1');
  });
});
