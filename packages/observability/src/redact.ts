/**
 * Removes what must never reach a log, a span or a readiness answer from a message: the password of a
 * URL's user-info (`postgres://nova:secret@db/nova` -> `postgres://nova:***@db/nova`), `password=…` style
 * pairs (libpq keyword strings, query parameters) and Keystone tokens after `X-Auth-Token`.
 */
export const redactSecrets = (text: string): string =>
  text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/?#\s]*@/gi, '$1:***@')
    .replace(/\b(password|passwd|pwd|secret|token|auth[_-]?token)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,]+)/gi, '$1$2***')
    .replace(/(x-(?:auth|subject|service)-token["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1***');

/** A connection URL fit for a log: scheme, host, port and path; user-info and query dropped. */
export const redactUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'sqlite:') return redactSecrets(url.split('?', 1)[0]!);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return redactSecrets(url);
  }
};
