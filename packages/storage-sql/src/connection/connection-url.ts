import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';

export type SqlDialectName = 'postgres' | 'mysql' | 'sqlite';

export type ConnectionTarget =
  | { readonly dialect: 'postgres'; readonly connectionString: string }
  | { readonly dialect: 'mysql'; readonly uri: string }
  /** `:memory:` or a file path. */
  | { readonly dialect: 'sqlite'; readonly filename: string };

/**
 * `postgres://` / `postgresql://`, `mysql://` / `mariadb://`, and `sqlite:FILE`, `sqlite://FILE`,
 * `sqlite::memory:`. Credentials stay in the URL and are never echoed in errors.
 */
export const parseConnectionUrl = (url: string): Either<string, ConnectionTarget> => {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return right({ dialect: 'postgres', connectionString: url });
    case 'mysql':
    case 'mariadb':
      return right({ dialect: 'mysql', uri: `mysql:${url.slice(scheme.length + 1)}` });
    case 'sqlite': {
      const filename = url.slice('sqlite:'.length).replace(/^\/\//, '');
      return filename === '' ? left('sqlite: URL without a file name (use sqlite:FILE or sqlite::memory:)') : right({ dialect: 'sqlite', filename });
    }
    default:
      return left(`unsupported database URL scheme ${JSON.stringify(scheme ?? url.split(':')[0])}: use postgres://, mysql:// or sqlite:FILE`);
  }
};
