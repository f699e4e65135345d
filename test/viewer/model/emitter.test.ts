// The one way the viewer's plain-TS layers notify: every listener hears each emit, in the order
// they subscribed, until it unsubscribes; changes made during an emit take effect as documented.

import { describe, expect, it } from 'vitest';
import { Emitter } from '../../../viewer/src/model/emitter.js';

describe('Emitter', () => {
  it('calls every listener with the value, in the order they subscribed', () => {
    const heard: string[] = [];
    const failed = new Emitter<string>();
    failed.subscribe((v) => heard.push(`first ${v}`));
    failed.subscribe((v) => heard.push(`second ${v}`));
    failed.emit('a');
    failed.emit('b');
    expect(heard).toEqual(['first a', 'second a', 'first b', 'second b']);
  });

  it('stops calling a listener once it unsubscribes, and keeps the others', () => {
    const detail = new Emitter();
    let a = 0;
    let b = 0;
    const stopA = detail.subscribe(() => a++);
    detail.subscribe(() => b++);
    detail.emit();
    stopA();
    stopA(); // twice is harmless
    detail.emit();
    expect([a, b, detail.size]).toEqual([1, 2, 1]);
  });

  it('keeps the same function subscribed twice as two listeners, each dropped on its own', () => {
    const detail = new Emitter();
    let n = 0;
    const count = () => n++;
    const stop = detail.subscribe(count);
    detail.subscribe(count);
    detail.emit();
    stop();
    detail.emit();
    expect(n).toBe(3);
  });

  it('does not call a listener removed during an emit, nor one added during it, until the next', () => {
    const detail = new Emitter();
    const heard: string[] = [];
    let stopLast = (): void => undefined;
    detail.subscribe(() => {
      heard.push('first');
      stopLast();
      detail.subscribe(() => heard.push('added'));
    });
    stopLast = detail.subscribe(() => heard.push('last'));
    detail.emit();
    expect(heard).toEqual(['first']);
    detail.emit();
    expect(heard).toEqual(['first', 'first', 'added']);
  });
});
