/**
 * Hostname patterns are literal substrings compared without ASCII case (the storage port's contract):
 * `%` and `_` are ordinary characters, and only A-Z fold, so every backend agrees whatever its locale
 * (String#toLowerCase and PostgreSQL's lower() also fold non-ASCII letters; SQLite's does not).
 */
export const foldAsciiCase = (text: string): string => text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
