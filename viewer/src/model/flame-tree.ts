// The merged call tree behind a flame graph: stacks (frames root first, each with the number of
// events that ended in it) folded into one tree whose node widths are event counts. With two
// sides (Compare's A and B) each node keeps both counts and is as wide as the mean of its share
// of A and its share of B, so a frame found on only one side still shows.

/** One distinct stack and how many events of the selection carried it. */
export interface StackCount {
  /** Frame names, outermost (root) first. */
  frames: readonly string[];
  count: number;
}

export interface FlameNode {
  name: string;
  /** The layout width: events through this frame (two sides: mean share of A and B, root = 1). */
  value: number;
  /** Events whose stack passes through this frame, per side ([count], or [A, B]). */
  counts: number[];
  /** Children in name order (as FlameGraph sorts them), so the same tree always lays out alike. */
  children: FlameNode[];
  parent: FlameNode | null;
  /** 0 for the root. */
  depth: number;
}

/** The name of the root frame that holds every stack. */
export const ROOT_NAME = 'all';

/** One side's stacks merged into a tree; value = counts[0]. */
export function buildFlameTree(stacks: Iterable<StackCount>): FlameNode {
  return buildTree([stacks], (counts) => counts[0]!);
}

/**
 * Both sides merged into one tree (counts [A, B]); value = mean share of the two sides.
 * A side with no events counts as share 0 everywhere.
 */
export function buildDiffTree(a: Iterable<StackCount>, b: Iterable<StackCount>): FlameNode {
  const root = buildTree([a, b], () => 0);
  const [totalA, totalB] = root.counts as [number, number];
  const share = (n: number, total: number) => (total > 0 ? n / total : 0);
  walk(root, (node) => {
    node.value = (share(node.counts[0]!, totalA) + share(node.counts[1]!, totalB)) / 2;
  });
  return root;
}

/** B's share of its events through this node minus A's (-1 .. 1); 0 for a one-sided tree. */
export function shareDelta(node: FlameNode, root: FlameNode): number {
  if (node.counts.length < 2) return 0;
  const share = (side: number) => {
    const total = root.counts[side]!;
    return total > 0 ? node.counts[side]! / total : 0;
  };
  return share(1) - share(0);
}

/** Calls fn on every node, parents before children. */
export function walk(node: FlameNode, fn: (node: FlameNode) => void): void {
  fn(node);
  for (const child of node.children) walk(child, fn);
}

/** Frames from the root down to this node (the root's own name left out). */
export function pathOf(node: FlameNode): string[] {
  const path: string[] = [];
  for (let n: FlameNode | null = node; n?.parent; n = n.parent) path.unshift(n.name);
  return path;
}

/** The node at this path below root, or null when the tree has no such path. */
export function nodeAt(root: FlameNode, path: readonly string[]): FlameNode | null {
  let node: FlameNode | undefined = root;
  for (const name of path) {
    node = node.children.find((c) => c.name === name);
    if (!node) return null;
  }
  return node;
}

/** How many levels the tree has below `node` (0 for a leaf). */
export function heightOf(node: FlameNode): number {
  let h = 0;
  for (const child of node.children) h = Math.max(h, 1 + heightOf(child));
  return h;
}

/**
 * Events (per side) whose stack holds a frame that matches: the sum over matching nodes not
 * below another matching node, so a recursive frame is not counted twice.
 */
export function matchedCounts(root: FlameNode, matches: (name: string) => boolean): number[] {
  const out = root.counts.map(() => 0);
  const visit = (node: FlameNode) => {
    if (node.parent && matches(node.name)) {
      node.counts.forEach((n, side) => (out[side] = out[side]! + n));
      return;
    }
    node.children.forEach(visit);
  };
  visit(root);
  return out;
}

function buildTree(
  sides: Iterable<StackCount>[],
  valueOf: (counts: number[]) => number,
): FlameNode {
  const root = newNode(ROOT_NAME, null, sides.length);
  const index = new Map<FlameNode, Map<string, FlameNode>>();
  sides.forEach((stacks, side) => {
    for (const { frames, count } of stacks) {
      if (!(count > 0)) continue;
      let node = root;
      node.counts[side]! += count;
      for (const name of frames) {
        node = childOf(node, name, index, sides.length);
        node.counts[side]! += count;
      }
    }
  });
  walk(root, (node) => {
    node.children.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    node.value = valueOf(node.counts);
  });
  return root;
}

function childOf(
  parent: FlameNode,
  name: string,
  index: Map<FlameNode, Map<string, FlameNode>>,
  sides: number,
): FlameNode {
  let children = index.get(parent);
  if (!children) index.set(parent, (children = new Map()));
  let child = children.get(name);
  if (!child) {
    child = newNode(name, parent, sides);
    children.set(name, child);
    parent.children.push(child);
  }
  return child;
}

function newNode(name: string, parent: FlameNode | null, sides: number): FlameNode {
  return {
    name,
    value: 0,
    counts: new Array<number>(sides).fill(0),
    children: [],
    parent,
    depth: parent ? parent.depth + 1 : 0,
  };
}
