/** Python's `repr()` of a str, as jsonschema puts it into validation messages. */
export const pyReprString = (s: string): string => {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0xa0) || code === 0xad) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
};

/** `repr()` of a list of str / bool, e.g. `['1', '2']` or `[True, 'True']`. */
export const pyReprList = (items: ReadonlyArray<string | boolean>): string =>
  `[${items.map((x) => (typeof x === 'boolean' ? (x ? 'True' : 'False') : pyReprString(x))).join(', ')}]`;
