import { parsePyFloat } from '../json/py-float-parse.js';

/**
 * The header parsing of Nova's URL map (nova/api/openstack/urlmap.py), which picks both the response
 * media type and, through a `version=` parameter, the API a request reaches. Its rules differ from
 * webob's: masks compare case-sensitively, `q=0` still matches, ties go to the first supported type.
 */

export interface MediaRange {
  readonly type: string;
  /** Parameter names as sent (case-sensitive); a bare name has `null`; a repeated name keeps the last value. */
  readonly params: ReadonlyMap<string, string | null>;
}

const QUOTED = String.raw`"[^"\\]*(?:\\.[^"\\]*)*"`;
const OPTION_PIECE = new RegExp(String.raw`;\s*([^\s;=]+|${QUOTED})\s*(?:=\s*([^;]+|${QUOTED}))?\s*`, 'g');

/** Browsers' unquoting, not RFC's: only the surrounding quotes go. */
const unquote = (value: string): string => (value.length > 0 && value[0] === '"' && value[value.length - 1] === '"' ? value.slice(1, -1) : value);

/**
 * `parse_options_header`: `type;name=value;…`. Where Nova's parser finds no piece at all (a value such
 * as `=`) it raises; we read it as no type and no parameters, never an error.
 */
export const parseOptionsHeader = (value: string): MediaRange => {
  if (value === '') return { type: '', params: new Map() };
  const pieces = [...`;${value}`.matchAll(OPTION_PIECE)].map((m) => [unquote(m[1]!), m[2] === undefined ? null : unquote(m[2])] as const);
  const [first, ...rest] = pieces;
  return { type: first?.[0] ?? '', params: new Map(rest) };
};

/** `urllib.request.parse_http_list`: split at commas outside quotes (a backslash escapes inside them), each part stripped. */
const parseHttpList = (value: string): string[] => {
  const parts: string[] = [];
  let part = '';
  let quoted = false;
  let escaped = false;
  for (const ch of value) {
    if (escaped) {
      part += ch;
      escaped = false;
    } else if (quoted) {
      if (ch === '\\') escaped = true;
      else {
        if (ch === '"') quoted = false;
        part += ch;
      }
    } else if (ch === ',') {
      parts.push(part);
      part = '';
    } else {
      if (ch === '"') quoted = true;
      part += ch;
    }
  }
  if (part !== '') parts.push(part);
  return parts.map((p) => p.trim());
};

/** `Accept(value)`: the ranges of `parse_list_header`, a fully quoted item losing its quotes first. */
export const parseAccept = (value: string): MediaRange[] =>
  parseHttpList(value).map((item) => parseOptionsHeader(item.length > 0 && item[0] === '"' && item[item.length - 1] === '"' ? unquote(item.slice(1, -1)) : item));

const matchesMask = (mask: string, type: string): boolean => {
  if (!mask.includes('*')) return type === mask;
  if (mask === '*/*') return true;
  return type.split('/', 1)[0] === mask.slice(0, -2);
};

const countStars = (s: string): number => s.split('*').length - 1;

/**
 * `Accept.best_match`: for each supported type in order, each range in order, a range of higher quality
 * (or equal quality and fewer `*`) that matches wins. A `q` Python's `float` rejects skips the range;
 * a bare `q` (which makes Nova raise) is skipped too. NaN compares as in Python: never less, never equal.
 */
export const bestMatch = (ranges: ReadonlyArray<MediaRange>, supported: ReadonlyArray<string>): { type: string | null; params: ReadonlyMap<string, string | null> } => {
  let bestQuality = -1;
  let bestType: string | null = null;
  let bestParams: ReadonlyMap<string, string | null> = new Map();
  let bestMask = '*/*';
  for (const type of supported) {
    for (const range of ranges) {
      const q = range.params.has('q') ? range.params.get('q') : '1';
      const quality = q === null || q === undefined ? null : parsePyFloat(q);
      if (quality === null) continue;
      if (quality < bestQuality) continue;
      if (quality === bestQuality && countStars(bestMask) <= countStars(range.type)) continue;
      if (matchesMask(range.type, type)) {
        bestQuality = quality;
        bestType = type;
        bestParams = range.params;
        bestMask = range.type;
      }
    }
  }
  return { type: bestType, params: bestParams };
};
