import fc from 'fast-check';
import { expect, it } from 'vitest';
import { indexHostnameGrams, needlePostings } from '../src/hostname-grams.js';
import { foldAsciiCase } from '../src/hostname-match.js';
import { intersectSorted } from '../src/sorted-intersection.js';

it('indexes every distinct 1-, 2- and 3-gram once per node, plus the empty gram (the README example)', () => {
  const { postings } = indexHostnameGrams([foldAsciiCase('Node1'), foldAsciiCase('nnn')]);
  const lists = Object.fromEntries([...postings].map(([gram, list]) => [gram, [...list]]));
  expect(lists).toEqual({
    '': [0, 1],
    n: [0, 1], o: [0], d: [0], e: [0], '1': [0],
    nn: [1], no: [0], od: [0], de: [0], e1: [0],
    nnn: [1], nod: [0], ode: [0], de1: [0],
  });
});

it('leaves a node without a hostname out of every list, the empty gram included', () => {
  const { postings } = indexHostnameGrams([null, 'a', null]);
  expect(Object.fromEntries([...postings].map(([gram, list]) => [gram, [...list]]))).toEqual({ '': [1], a: [1] });
});

it('costs at most 3 × hostname length + 1 entries per node, each posting list strictly ascending', () => {
  fc.assert(
    fc.property(fc.array(fc.option(fc.string({ unit: fc.constantFrom('a', 'b', '%', '\u{1f600}'), maxLength: 10 }), { nil: null })), (hostnames) => {
      const { postings } = indexHostnameGrams(hostnames);
      const entries = [...postings.values()].reduce((sum, list) => sum + list.length, 0);
      const bound = hostnames.reduce((sum, h) => sum + (h === null ? 0 : 3 * h.length + 1), 0);
      expect(entries).toBeLessThanOrEqual(bound);
      for (const list of postings.values()) for (let i = 1; i < list.length; i++) expect(list[i]!).toBeGreaterThan(list[i - 1]!);
    }),
  );
});

it('a pattern is looked up by its grams of length min(3, length), rarest first; an unknown gram matches nothing', () => {
  const grams = indexHostnameGrams(['abcd', 'bcd', 'xbc']);
  expect(needlePostings(grams, 'abcd')?.map((l) => [...l])).toEqual([[0], [0, 1]]);
  expect(needlePostings(grams, 'bc')?.map((l) => [...l])).toEqual([[0, 1, 2]]);
  expect(needlePostings(grams, '')?.map((l) => [...l])).toEqual([[0, 1, 2]]);
  expect(needlePostings(grams, 'abcx')).toBeNull();
});

it('intersectSorted equals a set intersection', () => {
  const sorted = fc.uniqueArray(fc.nat(50)).map((xs) => xs.sort((a, b) => a - b));
  fc.assert(
    fc.property(sorted, sorted, (small, large) => {
      expect(intersectSorted(small, large)).toEqual(small.filter((x) => large.includes(x)));
    }),
  );
});
