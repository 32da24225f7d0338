/**
 * Python `int()` on a string, as `strutils.validate_integer` applies it: surrounding whitespace, a sign,
 * and single underscores between digits are accepted (`' 1'`, `'0_1'`). Null when not an integer.
 */
export const pythonInt = (text: string): number | null => {
  const m = /^[ \t\n\r\f\v]*([+-]?)(\d(?:_?\d)*)[ \t\n\r\f\v]*$/.exec(text);
  if (m === null) return null;
  const n = Number(m[2]!.replace(/_/g, ''));
  return m[1] === '-' ? -n : n;
};

/**
 * oslo_utils `uuidutils.is_uuid_like`: what `uuid.UUID()` parses (`urn:`/`uuid:` prefixes, braces at
 * the ends, dashes anywhere, any case). Lookups still compare the raw text with the stored uuid.
 */
export const isUuidLike = (text: string): boolean => {
  const hex = text.replace(/urn:/g, '').replace(/uuid:/g, '').replace(/^[{}]+|[{}]+$/g, '').replace(/-/g, '');
  return /^[0-9a-fA-F]{32}$/.test(hex);
};
