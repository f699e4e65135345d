import { describe, expect, it } from 'vitest';
import {
  buildDiffTree,
  buildFlameTree,
  heightOf,
  matchedCounts,
  nodeAt,
  pathOf,
  shareDelta,
  type FlameNode,
} from '../../../viewer/src/model/flame-tree.js';
import { foldedLines, foldedText } from '../../../viewer/src/model/folded-stacks.js';
import { layoutFlame, neighbour, rectAt, rowsOf } from '../../../viewer/src/model/flame-layout.js';

const stacks = [
  { frames: ['main', 'a', 'x'], count: 3 },
  { frames: ['main', 'b'], count: 5 },
  { frames: ['main', 'a', 'y'], count: 2 },
  { frames: ['main', 'a', 'x'], count: 1 },
  { frames: ['main'], count: 4 },
];

/** name(count) with children, for readable exact comparisons. */
function shape(node: FlameNode): string {
  const kids = node.children.map(shape).join(' ');
  return `${node.name}(${node.counts.join('/')})${kids ? `[${kids}]` : ''}`;
}

describe('buildFlameTree', () => {
  it('merges stacks by frame path, children in name order, counts through each frame', () => {
    const tree = buildFlameTree(stacks);
    expect(shape(tree)).toBe('all(15)[main(15)[a(6)[x(4) y(2)] b(5)]]');
    expect(tree.value).toBe(15);
    expect(heightOf(tree)).toBe(3);
    const x = nodeAt(tree, ['main', 'a', 'x'])!;
    expect([x.depth, x.value, pathOf(x)]).toEqual([3, 4, ['main', 'a', 'x']]);
    expect(nodeAt(tree, ['main', 'c'])).toBeNull();
  });

  it('leaves out stacks with no events and gives an empty selection an empty root', () => {
    expect(shape(buildFlameTree([{ frames: ['z'], count: 0 }, ...stacks.slice(1, 2)]))).toBe(
      'all(5)[main(5)[b(5)]]',
    );
    expect(shape(buildFlameTree([]))).toBe('all(0)');
  });

  it('counts a recursive frame once in the matched share', () => {
    const tree = buildFlameTree([
      { frames: ['main', 'walk', 'walk', 'leaf'], count: 7 },
      { frames: ['main', 'other'], count: 3 },
    ]);
    expect(matchedCounts(tree, (n) => n === 'walk')).toEqual([7]);
    expect(matchedCounts(tree, (n) => n.includes('a'))).toEqual([10]); // main holds everything
    expect(matchedCounts(tree, () => false)).toEqual([0]);
  });
});

describe('buildDiffTree', () => {
  const a = [
    { frames: ['main', 'slow'], count: 10 },
    { frames: ['main', 'fast'], count: 30 },
  ];
  const b = [
    { frames: ['main', 'slow'], count: 30 },
    { frames: ['main', 'fast'], count: 30 },
    { frames: ['main', 'new'], count: 20 },
  ];

  it('keeps both sides per frame and lays out by the mean share', () => {
    const tree = buildDiffTree(a, b);
    expect(shape(tree)).toBe('all(40/80)[main(40/80)[fast(30/30) new(0/20) slow(10/30)]]');
    expect(tree.value).toBe(1);
    const at = (name: string) => nodeAt(tree, ['main', name])!;
    expect(at('slow').value).toBeCloseTo((10 / 40 + 30 / 80) / 2, 12);
    expect(at('new').value).toBeCloseTo(20 / 80 / 2, 12);
  });

  it('gives each frame B share minus A share: the sign lands on what changed', () => {
    const tree = buildDiffTree(a, b);
    const delta = (name: string) => shareDelta(nodeAt(tree, ['main', name])!, tree);
    expect(delta('slow')).toBeCloseTo(30 / 80 - 10 / 40, 12); // +0.125: more in B
    expect(delta('fast')).toBeCloseTo(30 / 80 - 30 / 40, 12); // -0.375: less in B
    expect(delta('new')).toBeCloseTo(0.25, 12);
    expect(shareDelta(nodeAt(tree, ['main'])!, tree)).toBe(0);
    expect(shareDelta(buildFlameTree(a), buildFlameTree(a))).toBe(0);
  });

  it('treats an empty side as share 0 everywhere', () => {
    const tree = buildDiffTree([], b);
    expect(shareDelta(nodeAt(tree, ['main', 'slow'])!, tree)).toBeCloseTo(30 / 80, 12);
    expect(tree.value).toBeCloseTo(0.5, 12);
  });
});

describe('foldedLines', () => {
  it('writes one line per distinct stack, merged, frames root first, sorted', () => {
    expect(foldedLines(stacks)).toEqual(['main 4', 'main;a;x 4', 'main;a;y 2', 'main;b 5']);
    expect(foldedText(stacks.slice(1, 2))).toBe('main;b 5\n');
    expect(foldedText([])).toBe('');
  });

  it('keeps spaces, replaces what would split a frame, names empty frames', () => {
    expect(
      foldedLines([
        { frames: ['main', 'idle;loop', '0x7f3a12 (libc.so.6)'], count: 2 },
        { frames: ['a\nb', ''], count: 1 },
        { frames: [], count: 6 },
        { frames: ['gone'], count: 0 },
      ]),
    ).toEqual(['[unknown] 6', 'a b;[unknown] 1', 'main;idle:loop;0x7f3a12 (libc.so.6) 2']);
  });
});

describe('layoutFlame', () => {
  const tree = buildFlameTree(stacks);

  it('places callees under their caller, as wide as their share of it', () => {
    const rects = layoutFlame(tree);
    const of = (path: string[]) => rects.find((r) => r.node === nodeAt(tree, path))!;
    expect(of(['main'])).toMatchObject({ x: 0, width: 1, row: 1 });
    expect(of(['main', 'a'])).toMatchObject({ x: 0, width: 6 / 15, row: 2 });
    expect(of(['main', 'b']).x).toBeCloseTo(6 / 15, 12);
    expect(of(['main', 'a', 'y']).x).toBeCloseTo(4 / 15, 12);
    expect(rowsOf(rects)).toBe(4);
    expect(rectAt(rects, 0.5, 2)?.node.name).toBe('b');
    expect(rectAt(rects, 0.99, 3)).toBeNull();
  });

  it('zoomed, spans the frame and its callers across the whole width', () => {
    const a = nodeAt(tree, ['main', 'a'])!;
    const rects = layoutFlame(a);
    expect(rects.map((r) => [r.node.name, r.x, r.width, r.row])).toEqual([
      ['all', 0, 1, 0],
      ['main', 0, 1, 1],
      ['a', 0, 1, 2],
      ['x', 0, 4 / 6, 3],
      ['y', 4 / 6, 2 / 6, 3],
    ]);
  });

  it('leaves out frames narrower than minWidth, with their callees', () => {
    const names = layoutFlame(tree, 0.2).map((r) => r.node.name);
    expect(names).toEqual(['all', 'main', 'a', 'x', 'b']); // y is 2/15 < 0.2
  });

  it('moves the keyboard focus up, down to the widest callee, and along the row', () => {
    const rects = layoutFlame(tree);
    const main = nodeAt(tree, ['main'])!;
    expect(neighbour(rects, main, 'down')?.name).toBe('a');
    expect(neighbour(rects, main, 'up')).toBe(tree);
    const x = nodeAt(tree, ['main', 'a', 'x'])!;
    expect(neighbour(rects, x, 'right')?.name).toBe('y');
    expect(neighbour(rects, x, 'left')).toBeNull();
    expect(neighbour(rects, nodeAt(tree, ['main', 'a'])!, 'right')?.name).toBe('b');
    expect(neighbour(rects, nodeAt(tree, ['main', 'b'])!, 'down')).toBeNull();
  });
});
