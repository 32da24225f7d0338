/**
 * JSON values as Nova's Python emits them. Two cases plain JS values cannot express:
 * - objects whose key order must survive even for integer-like keys (`JSON.parse` moves those first);
 * - numbers whose text must stay Python's (`2.0` stays `2.0`; big integers keep every digit).
 * Views build plain objects (insertion order is kept for non-integer keys); `cpu_info` is parsed into
 * `OrderedObject` / `PyNumber` so it round-trips as Nova's `jsonutils.loads` + `dumps` would.
 */
export class OrderedObject {
  constructor(readonly entries: ReadonlyArray<readonly [string, PyJson]>) {}
}

/** A number kept as the text Python's `json.dumps` prints for it. */
export class PyNumber {
  constructor(readonly text: string) {}
}

export type PyJson =
  | null
  | boolean
  | number
  | string
  | PyNumber
  | OrderedObject
  | ReadonlyArray<PyJson>
  | { readonly [key: string]: PyJson | undefined };
