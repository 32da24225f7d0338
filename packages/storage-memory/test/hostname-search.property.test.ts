import type { Dataset, NodeWithService, StorageFault, Visibility } from '@os-hypervisors/core';
import { MemoryStorage } from '@os-hypervisors/storage-memory';
import fc from 'fast-check';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { expect, it } from 'vitest';
import { datasetArbitrary, PROJECTS } from './contract/dataset-arbitrary.js';

/**
 * The n-gram index must only ever narrow the search: its answers equal a naive scan's, in the same order,
 * under every visibility. The scan here shares no code with the backend's search.
 */

// A small alphabet so hostnames share grams and patterns often hit. Beyond ASCII: letters whose Unicode
// lowercase differs (must not fold), the Kelvin sign (lowercases to ASCII `k`), an astral character and a
// lone surrogate (grams are UTF-16 code units), NUL, and `%` `_` `\` (literal, never wildcards).
const CHARS = ['a', 'A', 'b', 'B', 'k', 'K', '0', '-', '.', ' ', '%', '_', '\\', '\u0000', '\u00fc', '\u00dc', '\u212a', '\u{1f600}', '\ud800'];
const MAX_HOSTNAME = 12;
const char = fc.constantFrom(...CHARS);

const hostname: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: char, maxLength: MAX_HOSTNAME }) },
  { weight: 1, arbitrary: fc.tuple(char, fc.integer({ min: 1, max: MAX_HOSTNAME })).map(([c, n]) => c.repeat(n)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: MAX_HOSTNAME / 2 }) },
  { weight: 1, arbitrary: fc.constant(null) },
);

const flipCase = (text: string, flips: ReadonlyArray<boolean>): string =>
  Array.from(text, (c, i) => (flips[i % Math.max(1, flips.length)] ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c)).join('');

/** Patterns drawn against the dataset's own hostnames, so that many of them match something. */
const patternFor = (hostnames: ReadonlyArray<string | null>): fc.Arbitrary<string> => {
  const named = hostnames.filter((h): h is string => h !== null && h !== '');
  const arbitraries: fc.Arbitrary<string>[] = [
    fc.constant(''),
    fc.string({ unit: char, minLength: 1, maxLength: 4 }),
    fc.string({ unit: char, minLength: MAX_HOSTNAME * 2 + 1, maxLength: MAX_HOSTNAME * 3 }), // longer than any hostname
    fc.string({ unit: 'binary', maxLength: 3 }),
  ];
  if (named.length > 0) {
    // A substring of a real hostname, in any case (code-unit slices may split a surrogate pair on purpose).
    const slice = fc
      .tuple(fc.constantFrom(...named), fc.nat(), fc.nat(), fc.array(fc.boolean(), { maxLength: 4 }))
      .map(([h, a, b, flips]) => flipCase(h.slice(Math.min(a, b) % (h.length + 1), Math.max(a, b) % (h.length + 1)), flips));
    arbitraries.push(slice, slice, fc.constantFrom(...named).map((h) => `${h}${h}`));
  }
  return fc.oneof(...arbitraries);
};

const visibility: fc.Arbitrary<Visibility> = fc.oneof(
  fc.constant<Visibility>({ kind: 'all' }),
  fc.record({ kind: fc.constant('project' as const), projectId: fc.constantFrom(...PROJECTS, 'other'), includeUnrestricted: fc.boolean() }),
);

const withHostnames: fc.Arbitrary<Dataset> = datasetArbitrary.chain((dataset) =>
  fc.array(hostname, { minLength: dataset.compute_nodes.length, maxLength: dataset.compute_nodes.length }).map((names) => ({
    ...dataset,
    compute_nodes: dataset.compute_nodes.map((node, i) => ({ ...node, hypervisor_hostname: names[i]! })),
  })),
);

const scenario = withHostnames.chain((dataset) =>
  fc.tuple(
    fc.constant(dataset),
    fc.array(fc.tuple(patternFor(dataset.compute_nodes.map((n) => n.hypervisor_hostname ?? null)), visibility), { minLength: 1, maxLength: 8 }),
  ),
);

const run = async <A>(task: TaskEither<StorageFault, A>): Promise<A> => {
  const result = await task();
  if (result._tag === 'Left') throw new Error(result.left.message);
  return result.right;
};

const foldAscii = (text: string): string => text.split('').map((c) => (c >= 'A' && c <= 'Z' ? c.toLowerCase() : c)).join('');

/** The scan the index replaces: every visible node (listNodes, ascending by id), tested one by one. */
const naiveSearch = async (storage: MemoryStorage, pattern: string, v: Visibility): Promise<NodeWithService[]> => {
  const visible = await run(storage.listNodes({ visibility: v }));
  return visible.filter(({ node }) => node.hypervisor_hostname != null && foldAscii(node.hypervisor_hostname).includes(foldAscii(pattern)));
};

it('indexed hostname search equals a naive scan (same nodes, same order, same visibility)', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async ([dataset, searches]) => {
      const storage = new MemoryStorage(dataset);
      for (const [pattern, v] of searches) {
        const found = await run(storage.searchNodes(pattern, v));
        expect(found).toEqual(await naiveSearch(storage, pattern, v));
      }
    }),
    { numRuns: 1000 },
  );
});
