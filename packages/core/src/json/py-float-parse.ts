/** Python's float literal grammar as `float(str)` accepts it: digits may be grouped by single underscores. */
const DIGITS = String.raw`\d(?:_?\d)*`;
const DECIMAL = new RegExp(String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * `float(text)` for a str: surrounding whitespace ignored, `inf`/`infinity`/`nan` in any case, `1_000`;
 * `null` where Python raises `ValueError`.
 */
export const parsePyFloat = (text: string): number | null => {
  const s = text.trim();
  const special = SPECIAL.exec(s);
  if (special !== null) {
    if (special[2]!.toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  return DECIMAL.test(s) ? Number(s.replace(/_/g, '')) : null;
};
