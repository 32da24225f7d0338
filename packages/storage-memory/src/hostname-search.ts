import type { NodeWithService } from '@os-hypervisors/core';
import type { DatasetIndex } from './dataset-index.js';
import { needlePostings } from './hostname-grams.js';
import { foldAsciiCase } from './hostname-match.js';
import { intersectSorted } from './sorted-intersection.js';
import { isNodeVisible, type VisibleNodes } from './visible-nodes.js';

/**
 * Visible nodes whose hostname contains `pattern` (literal, ASCII case-insensitive), in `index.nodes` order.
 * The n-gram index only narrows: every candidate is confirmed with the same substring test a scan would use,
 * so the answer is exactly that of `index.nodes.filter(contains && visible)`.
 */
export const searchByHostname = (index: DatasetIndex, visible: VisibleNodes, pattern: string): NodeWithService[] => {
  const needle = foldAsciiCase(pattern);
  const lists = needlePostings(index.hostnameGrams, needle);
  if (lists === null) return [];
  const rarest = lists[0]!;
  const contains = (position: number): boolean => index.foldedHostnames[position]?.includes(needle) === true;

  // A project may see fewer nodes than even the rarest gram lists: then confirming those is cheaper.
  if (visible.nodes.length < rarest.length) {
    const positions = visible.nodes.map((node) => index.nodePosition.get(node)!).filter(contains);
    // Visible nodes come in id order; sorting positions keeps the index's own order even if ids repeat.
    return positions.sort((a, b) => a - b).map((position) => index.nodes[position]!);
  }

  const second = lists[1];
  const candidates = second === undefined || second === rarest ? rarest : intersectSorted(rarest, second);
  const found: NodeWithService[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const position = candidates[i]!;
    const node = index.nodes[position]!;
    if (contains(position) && isNodeVisible(visible, node)) found.push(node);
  }
  return found;
};
