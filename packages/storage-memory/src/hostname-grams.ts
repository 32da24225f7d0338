/**
 * An n-gram index over folded hostnames: a substring search confirms only the nodes that contain the
 * pattern's rarest gram instead of testing every node.
 *
 * Grams are substrings of 1 to 3 UTF-16 code units (the unit `String#includes` compares in, so a pattern
 * with astral or lone-surrogate characters is indexed consistently), keyed by the substring itself. A node
 * is listed once per distinct gram: at most 3 × hostname length entries per node (4 bytes each in a
 * Uint32Array), plus one for the empty gram, which lists every named node and so serves the empty pattern.
 * Distinct grams (map keys) are shared by all nodes and grow far slower than the node count.
 */
export const MAX_GRAM = 3;

export interface HostnameGrams {
  /** gram → ascending positions (into `DatasetIndex.nodes`) of the nodes whose folded hostname contains it. */
  readonly postings: ReadonlyMap<string, Uint32Array>;
}

/** `folded` is parallel to the nodes; a null hostname matches nothing, not even the empty pattern. */
export const indexHostnameGrams = (folded: ReadonlyArray<string | null>): HostnameGrams => {
  const building = new Map<string, number[]>();
  const add = (gram: string, position: number): void => {
    const list = building.get(gram);
    if (list === undefined) building.set(gram, [position]);
    // Positions arrive ascending, so a gram repeated within one hostname is always the list's last entry.
    else if (list[list.length - 1] !== position) list.push(position);
  };
  folded.forEach((hostname, position) => {
    if (hostname === null) return;
    add('', position);
    for (let length = 1; length <= MAX_GRAM; length++) {
      for (let start = 0; start + length <= hostname.length; start++) add(hostname.slice(start, start + length), position);
    }
  });
  const postings = new Map<string, Uint32Array>();
  for (const [gram, list] of building) postings.set(gram, Uint32Array.from(list));
  return { postings };
};

/**
 * The posting lists a node must be in to contain `needle` (already folded), one per gram of length
 * min(3, needle.length), shortest first; the empty needle has the single gram ''. Null when some gram
 * occurs in no hostname: nothing can match.
 */
export const needlePostings = (grams: HostnameGrams, needle: string): Uint32Array[] | null => {
  const length = Math.min(MAX_GRAM, needle.length);
  const lists: Uint32Array[] = [];
  for (let start = 0; start + length <= needle.length; start++) {
    const list = grams.postings.get(needle.slice(start, start + length));
    if (list === undefined) return null;
    lists.push(list);
  }
  return lists.sort((a, b) => a.length - b.length);
};
