import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';

/**
 * SQLAlchemy's URL grammar as Nova's connection options use it: `dialect[+driver]://[user[:password]@]host[:port]/database[?query]`.
 * The password runs to the LAST `@` of the authority (SQLAlchemy 1.4+ reads `p@ss` unencoded too).
 */
const URL_SHAPE = /^([A-Za-z][\w+.-]*):\/\/(.*)$/s;

const MYSQL_DIALECTS = new Set(['mysql', 'mariadb']);
const POSTGRES_DIALECTS = new Set(['postgresql', 'postgres']);

/** The authority (`user:pw@host:port`) and what follows it (`/db?query`). */
const splitAuthority = (rest: string): { authority: string; tail: string } => {
  const slash = rest.search(/[/?]/);
  return slash < 0 ? { authority: rest, tail: '' } : { authority: rest.slice(0, slash), tail: rest.slice(slash) };
};

/** The password as written in the URL (still percent-encoded), or undefined. */
const passwordOf = (url: string): string | undefined => {
  const m = URL_SHAPE.exec(url);
  if (m === null) return undefined;
  const { authority } = splitAuthority(m[2]!);
  const at = authority.lastIndexOf('@');
  if (at < 0) return undefined;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  return colon < 0 ? undefined : userinfo.slice(colon + 1);
};

const MASK = '****';

/** The URL with its password replaced by `****`: the only form of a connection string ever printed. */
export const redactUrl = (url: string): string => {
  const m = URL_SHAPE.exec(url);
  if (m === null) return url;
  const { authority, tail } = splitAuthority(m[2]!);
  const at = authority.lastIndexOf('@');
  if (at < 0) return url;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return url;
  return `${m[1]}://${userinfo.slice(0, colon)}:${MASK}${authority.slice(at)}${tail}`;
};

/**
 * Removes every password of `urls` from `text` (as written and percent-decoded): driver messages and
 * stack traces must not carry one into a log.
 */
export const redactSecrets = (text: string, urls: Iterable<string>): string => {
  let out = text;
  for (const url of urls) {
    const password = passwordOf(url);
    if (password === undefined || password === '') continue;
    const forms = new Set([password, safeDecode(password)]);
    for (const form of forms) if (form !== '') out = out.split(form).join(MASK);
    out = out.split(url).join(redactUrl(url));
  }
  return out;
};

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** mysql2 takes a plain `mysql://` URL; SQLAlchemy's query options are for PyMySQL, except the socket. */
const mysqlUrl = (rest: string): string => {
  const q = rest.indexOf('?');
  const base = q < 0 ? rest : rest.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1));
  const socket = query.get('unix_socket');
  return socket === null ? `mysql://${base}` : `mysql://${base}?socketPath=${encodeURIComponent(socket)}`;
};

/**
 * A SQLAlchemy URL (what `[api_database] connection`, `[database] connection` and
 * `cell_mappings.database_connection` hold) as the URL storage-sql's drivers take:
 * `mysql+pymysql://u:p@h/nova?charset=utf8` -> `mysql://u:p@h/nova`, `postgresql+psycopg2://…` ->
 * `postgresql://…`, `sqlite:////abs/path` -> `sqlite:/abs/path`, `sqlite:///rel` -> `sqlite:rel`,
 * `sqlite://` -> `sqlite::memory:`. Errors name the URL without its password.
 */
export const toDriverUrl = (url: string): Either<string, string> => {
  const m = URL_SHAPE.exec(url.trim());
  if (m === null) return left(`not a SQLAlchemy database URL: ${JSON.stringify(redactUrl(url))}`);
  const [dialect = '', driver] = m[1]!.toLowerCase().split('+');
  const rest = m[2]!;
  if (MYSQL_DIALECTS.has(dialect)) return right(mysqlUrl(rest));
  if (POSTGRES_DIALECTS.has(dialect)) return right(`postgresql://${rest}`);
  if (dialect === 'sqlite') {
    if (driver !== undefined && driver !== 'pysqlite') return left(`unsupported SQLite driver ${JSON.stringify(driver)} in ${JSON.stringify(redactUrl(url))}`);
    const path = rest.replace(/\?.*$/s, '');
    if (path === '' || path === '/' || path === '/:memory:') return right('sqlite::memory:');
    // `sqlite:///x` is the relative path `x`; `sqlite:////x` the absolute `/x`.
    if (!path.startsWith('/')) return left(`SQLite URL with a host part: ${JSON.stringify(redactUrl(url))} (use sqlite:////absolute/path or sqlite:///relative/path)`);
    return right(`sqlite:${path.slice(1)}`);
  }
  return left(`unsupported database dialect ${JSON.stringify(m[1])} in ${JSON.stringify(redactUrl(url))}: Nova's MySQL/MariaDB, PostgreSQL or SQLite URLs only`);
};
