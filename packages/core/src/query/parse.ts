import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';

/** Query parameters in request order, names repeated as sent (webob's MultiDict). */
export type QueryPairs = ReadonlyArray<readonly [string, string]>;

const decodeComponent = (raw: string): string | null => {
  // `+` is a space (application/x-www-form-urlencoded); then percent-decode bytes and require UTF-8.
  const bytes: number[] = [];
  const text = raw.replace(/\+/g, ' ');
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
};

/**
 * Python's `parse_qsl(keep_blank_values=True)` as webob applies it: `&`-separated, a piece without `=`
 * is a blank value, empty pieces are dropped. A non-UTF-8 query is refused (Nova: 400).
 */
export const parseQuery = (raw: string): Either<'not-utf8', QueryPairs> => {
  const pairs: Array<[string, string]> = [];
  for (const piece of raw.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = decodeComponent(eq < 0 ? piece : piece.slice(0, eq));
    const value = decodeComponent(eq < 0 ? '' : piece.slice(eq + 1));
    if (name === null || value === null) return left('not-utf8');
    pairs.push([name, value]);
  }
  return right(pairs);
};

/** `{name: [values…]}` in first-appearance order, as `req.GET.dict_of_lists()`. */
export const queryLists = (pairs: QueryPairs): Map<string, string[]> => {
  const lists = new Map<string, string[]>();
  for (const [k, v] of pairs) {
    const list = lists.get(k);
    if (list) list.push(v);
    else lists.set(k, [v]);
  }
  return lists;
};

/** webob `req.GET.get(name)`: the last value sent. */
export const lastValue = (pairs: QueryPairs, name: string): string | undefined => {
  let found: string | undefined;
  for (const [k, v] of pairs) if (k === name) found = v;
  return found;
};

/** Python `urlencode` (quote_plus) for next links. */
export const pyUrlencode = (pairs: QueryPairs): string =>
  pairs.map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join('&');

const SAFE = /[A-Za-z0-9_.\-~]/;
const quotePlus = (s: string): string => {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (b === 0x20) out += '+';
    else if (b < 0x80 && SAFE.test(c)) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
};
