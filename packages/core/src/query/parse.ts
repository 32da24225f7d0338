import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';

/** Query parameters in request order, names repeated as sent (webob's MultiDict). */
export type QueryPairs = ReadonlyArray<readonly [string, string]>;

/** Python's `int(text, 16)` on at most two characters (webob's unquote), or null where it raises. */
const pyHexByte = (two: string): number | null => {
  const m = /^[ \t\n\r\f\v]*([-+]?)([0-9a-fA-F]{1,2})[ \t\n\r\f\v]*$/.exec(two);
  if (m === null) return null;
  const value = parseInt(m[2]!, 16) * (m[1] === '-' ? -1 : 1);
  // `bytes([n])` refuses anything outside 0..255 (so `%-1` stays as sent, but `%-0` is a NUL).
  return value >= 0 && value <= 255 ? value : null;
};

/**
 * webob's query decoding (webob/compat.py `parse_qsl_text`, `unquote`): `+` is a space, then each `%`
 * takes the next two characters through Python's `int(…, 16)`, which also reads `%2` at the end as
 * byte 2 and `% 1` as byte 1; where `int` raises, the `%` stays. The bytes must then be UTF-8.
 */
const decodeComponent = (raw: string): string | null => {
  const bytes: number[] = [];
  const pushText = (text: string) => { for (const b of Buffer.from(text, 'utf8')) bytes.push(b); };
  const [first, ...items] = raw.replace(/\+/g, ' ').split('%');
  pushText(first!);
  for (const item of items) {
    const byte = pyHexByte(item.slice(0, 2));
    if (byte === null) {
      bytes.push(0x25);
      pushText(item);
    } else {
      bytes.push(byte);
      pushText(item.slice(2));
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
};

/**
 * webob's `req.GET`: pieces separated by `&` or `;`, empty pieces dropped, a piece without `=` is a blank
 * value. A non-UTF-8 query is refused (Nova: 400).
 */
export const parseQuery = (raw: string): Either<'not-utf8', QueryPairs> => {
  const pairs: Array<[string, string]> = [];
  for (const piece of raw.split(/[&;]/)) {
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
