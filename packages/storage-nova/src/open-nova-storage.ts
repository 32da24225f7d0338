import { isOutage, openDatabase, type SqlStorageOptions } from '@os-hypervisors/storage-sql';
import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import { CellDirectory } from './cells.js';
import { novaConnections, parseNovaConf } from './config/nova-conf.js';
import { redactSecrets, redactUrl, toDriverUrl } from './config/sqlalchemy-url.js';
import { NovaStorage } from './nova-storage.js';
import type { NovaApiDatabase } from './schema.js';

/** Where Nova's databases are, as SQLAlchemy URLs (Nova's own connection strings). */
export interface NovaDatabases {
  /** `[api_database] connection`. */
  readonly apiDatabase: string;
  /** `[database] connection`: fills templated `cell_mappings.database_connection` values, as in Nova. */
  readonly database?: string;
  /** Cell name or uuid -> URL to use instead of its `database_connection` (a host name that differs from here). */
  readonly cellUrls?: ReadonlyMap<string, string>;
}

/**
 * Nova's connections from the text of its config files (`nova.conf`, later files overriding, as
 * `--config-file` does), plus per-cell URL overrides.
 */
export const novaDatabasesFromConf = (
  files: ReadonlyArray<{ readonly name: string; readonly text: string }>,
  cellUrls?: ReadonlyMap<string, string>,
): Either<string, NovaDatabases> => {
  const conf = parseNovaConf(files);
  if (isLeft(conf)) return conf;
  const connections = novaConnections(conf.right);
  if (isLeft(connections)) return left(`${files.map((f) => f.name).join(', ')}: ${connections.left}`);
  return right({ ...connections.right, ...(cellUrls === undefined ? {} : { cellUrls }) });
};

/** `NAME=URL` (a `--nova-cell-db` value) -> [name, url]; the name is a cell's name or uuid. */
export const parseCellOverride = (text: string): Either<string, readonly [string, string]> => {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) return left(`expected NAME=URL (a cell name or uuid, then its SQLAlchemy URL), got ${JSON.stringify(redactUrl(text.slice(eq + 1)))}`);
  const url = text.slice(eq + 1);
  const driver = toDriverUrl(url);
  return isLeft(driver) ? driver : right([text.slice(0, eq), url] as const);
};

/**
 * A NovaStorage over the API database at `databases.apiDatabase` and the cells it maps. The API database
 * is asked once now: a refused login, a missing table or a wrong path is a start-up error (message
 * without passwords); a server that is down is an outage, so the storage opens and each call answers 503
 * until it is back. Nothing is ever written.
 */
export const openNovaStorage = async (databases: NovaDatabases, options: SqlStorageOptions = {}): Promise<NovaStorage> => {
  const secrets = [databases.apiDatabase, ...(databases.database === undefined ? [] : [databases.database]), ...(databases.cellUrls?.values() ?? [])];
  const fail = (message: string): never => {
    throw new Error(redactSecrets(message, secrets));
  };
  const apiUrl = toDriverUrl(databases.apiDatabase);
  if (isLeft(apiUrl)) return fail(`[api_database] connection: ${apiUrl.left}`);
  for (const [name, url] of databases.cellUrls ?? []) {
    const checked = toDriverUrl(url);
    if (isLeft(checked)) fail(`cell ${name}: ${checked.left}`);
  }
  const opened = openDatabase<NovaApiDatabase>(apiUrl.right, options);
  if (isLeft(opened)) return fail(opened.left);
  const { db, queries } = opened.right;
  const cells = new CellDirectory(db, { defaultCellUrl: databases.database, cellUrls: databases.cellUrls, sql: options });
  try {
    await db.selectFrom('cell_mappings').select('id').limit(1).execute();
  } catch (error) {
    if (!(opened.right.dialect !== 'sqlite' && isOutage(error))) {
      await db.destroy();
      fail(`the Nova API database ${redactUrl(databases.apiDatabase)} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  queries.reset();
  return new NovaStorage(db, queries, cells, [...secrets, apiUrl.right]);
};
