import { OrderedObject, PyNumber, type PyJson } from './py-json.js';
import { pyFloatRepr } from './py-float.js';

/**
 * Python's `json.dumps` with default options, as oslo_serialization uses it for every Nova response:
 * `", "` and `": "` separators, ensure_ascii (everything outside printable ASCII as lower-case `\uXXXX`,
 * UTF-16 surrogate pairs for astral characters), `/` not escaped, no trailing newline.
 */
export const pyDumps = (value: PyJson): string => write(value);

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f',
};

/** Printable ASCII other than `"` and `\\`: such strings are written as they are (the common case). */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

export const pyQuote = (s: string): string => {
  if (PLAIN.test(s)) return `"${s}"`;
  let r = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e && ch !== '"' && ch !== '\\') r += ch;
    else r += SHORT_ESCAPES[ch] ?? `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return r + '"';
};

// Plain string concatenation: V8 builds ropes, which beats collecting parts and joining.
const write = (v: PyJson | undefined): string => {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return pyQuote(v);
    case 'number':
      return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
    case 'boolean':
      return v ? 'true' : 'false';
  }
  if (v instanceof PyNumber) return v.text;
  if (v instanceof OrderedObject) return writeEntries(v.entries);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i > 0 ? ', ' : '') + write(v[i] as PyJson);
    return out + ']';
  }
  // Plain objects: `undefined` members are left out, like keys a Python dict never had.
  let out = '{';
  let first = true;
  for (const k in v as Record<string, PyJson | undefined>) {
    const x = (v as Record<string, PyJson | undefined>)[k];
    if (x === undefined) continue;
    out += (first ? '' : ', ') + pyQuote(k) + ': ' + write(x);
    first = false;
  }
  return out + '}';
};

const writeEntries = (entries: ReadonlyArray<readonly [string, PyJson]>): string => {
  let out = '{';
  for (let i = 0; i < entries.length; i++) {
    const [k, x] = entries[i]!;
    out += (i > 0 ? ', ' : '') + pyQuote(k) + ': ' + write(x);
  }
  return out + '}';
};
