/**
 * A DATETIME as the dataset writes it (Python's `datetime.isoformat()`, what Nova's objects hold):
 * `2025-01-02T03:04:05`, with `.ffffff` only when there are microseconds. SQLite stores SQLAlchemy's
 * `2025-01-02 03:04:05.000000`, MySQL and PostgreSQL print `2025-01-02 03:04:05[.ffffff]`.
 */
export const isoTimestamp = (text: string | null): string | null => {
  if (text === null) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  if (m === null) return text;
  const micro = (m[3] ?? '').padEnd(6, '0');
  return `${m[1]}T${m[2]}${/^0*$/.test(micro) ? '' : `.${micro}`}`;
};
