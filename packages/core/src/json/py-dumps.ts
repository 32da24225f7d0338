import { OrderedObject, PyNumber, type PyJson } from './py-json.js';
import { pyFloatRepr } from './py-float.js';

/**
 * Python's `json.dumps` with default options, as oslo_serialization uses it for every Nova response:
 * `", "` and `": "` separators, ensure_ascii (everything outside printable ASCII as lower-case `\uXXXX`,
 * UTF-16 surrogate pairs for astral characters), `/` not escaped, no trailing newline.
 */
export const pyDumps = (value: PyJson): string => {
  const out: string[] = [];
  write(value, out);
  return out.join('');
};

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f',
};

export const pyQuote = (s: string): string => {
  let r = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e && ch !== '"' && ch !== '\\') r += ch;
    else r += SHORT_ESCAPES[ch] ?? `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return r + '"';
};

const write = (v: PyJson | undefined, out: string[]): void => {
  if (v === null || v === undefined) out.push('null');
  else if (v === true) out.push('true');
  else if (v === false) out.push('false');
  else if (typeof v === 'string') out.push(pyQuote(v));
  else if (typeof v === 'number') out.push(Number.isInteger(v) ? String(v) : pyFloatRepr(v));
  else if (v instanceof PyNumber) out.push(v.text);
  else if (v instanceof OrderedObject) writeEntries(v.entries, out);
  else if (Array.isArray(v)) {
    out.push('[');
    v.forEach((item: PyJson, i: number) => {
      if (i > 0) out.push(', ');
      write(item, out);
    });
    out.push(']');
  } else {
    // Plain objects: `undefined` members are left out, like keys a Python dict never had.
    writeEntries(Object.entries(v as Record<string, PyJson | undefined>).filter(([, x]) => x !== undefined) as Array<[string, PyJson]>, out);
  }
};

const writeEntries = (entries: ReadonlyArray<readonly [string, PyJson]>, out: string[]): void => {
  out.push('{');
  entries.forEach(([k, x], i) => {
    if (i > 0) out.push(', ');
    out.push(pyQuote(k), ': ');
    write(x, out);
  });
  out.push('}');
};
