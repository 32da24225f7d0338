import type { QueryCounter, SqlDialectName, SqlStorageOptions } from '@os-hypervisors/storage-sql';
import { openDatabase } from '@os-hypervisors/storage-sql';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Kysely } from 'kysely';
import { formatCellUrl } from './config/cell-url.js';
import { redactUrl, toDriverUrl } from './config/sqlalchemy-url.js';
import { CELL0_UUID, type NovaApiDatabase, type NovaCellDatabase } from './schema.js';

/** A cell database, open (pooled) or not reachable by configuration (its URL cannot be used). */
export interface Cell {
  readonly id: number;
  readonly uuid: string;
  readonly name: string | null;
  /** The URL in use, password redacted (for messages). */
  readonly shownUrl: string;
  readonly db: Kysely<NovaCellDatabase> | null;
  readonly dialect: SqlDialectName | null;
  readonly queries: QueryCounter | null;
  /** Why `db` is null. */
  readonly problem?: string;
}

export interface CellDirectoryOptions {
  /** `[database] connection`, which fills templated `database_connection` values. */
  readonly defaultCellUrl?: string;
  /** Cell name or uuid -> SQLAlchemy URL used instead of `database_connection` (the cell as seen from here). */
  readonly cellUrls?: ReadonlyMap<string, string>;
  readonly sql?: SqlStorageOptions;
}

interface Pool {
  readonly db: Kysely<NovaCellDatabase>;
  readonly dialect: SqlDialectName;
  readonly queries: QueryCounter;
}

/**
 * The cells as Nova finds them (CellMappingList.get_all: every mapping in id order, cell0 skipped by
 * the hypervisors API), read from the API database on every call so a cell added, removed or re-pointed
 * shows on the next request. What is kept between calls is only a pool per distinct URL: opening one
 * is the expensive part, and a URL names one database, so a pool can never answer for another cell.
 */
export class CellDirectory {
  private readonly pools = new Map<string, Pool>();
  private closed = false;

  constructor(
    private readonly api: Kysely<NovaApiDatabase>,
    private readonly options: CellDirectoryOptions = {},
  ) {}

  /** One query on the API database. */
  async cells(): Promise<Cell[]> {
    const mappings = await this.api
      .selectFrom('cell_mappings')
      .select(['id', 'uuid', 'name', 'database_connection'])
      .orderBy('id')
      .execute();
    return mappings.filter((m) => m.uuid !== CELL0_UUID).map((m) => this.cellOf(m));
  }

  /** Every URL a pool was opened for (their passwords are redacted from messages). */
  get urls(): string[] {
    return [...this.pools.keys()];
  }

  /** Statements sent to the cells so far, by cell URL (redacted). */
  queryCounts(): Map<string, number> {
    return new Map([...this.pools].map(([url, pool]) => [redactUrl(url), pool.queries.count]));
  }

  resetQueryCounts(): void {
    for (const pool of this.pools.values()) pool.queries.reset();
  }

  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.db.destroy()));
  }

  private cellOf(mapping: { id: number; uuid: string; name: string | null; database_connection: string | null }): Cell {
    const base = { id: mapping.id, uuid: mapping.uuid, name: mapping.name };
    const override = this.options.cellUrls?.get(mapping.uuid) ?? (mapping.name === null ? undefined : this.options.cellUrls?.get(mapping.name));
    const configured = override ?? (mapping.database_connection === null ? undefined : formatCellUrl(mapping.database_connection, this.options.defaultCellUrl));
    const unusable = (problem: string, shownUrl = ''): Cell => ({ ...base, shownUrl, db: null, dialect: null, queries: null, problem });
    if (configured === undefined) return unusable(`cell ${mapping.name ?? mapping.uuid} has no database_connection`);
    const shownUrl = redactUrl(configured);
    const driverUrl = toDriverUrl(configured);
    if (isLeft(driverUrl)) return unusable(`cell ${mapping.name ?? mapping.uuid}: ${driverUrl.left}`, shownUrl);
    const pool = this.poolFor(driverUrl.right);
    if (typeof pool === 'string') return unusable(`cell ${mapping.name ?? mapping.uuid}: ${pool}`, shownUrl);
    return { ...base, shownUrl, ...pool };
  }

  private poolFor(url: string): Pool | string {
    if (this.closed) return 'the storage is closed';
    const known = this.pools.get(url);
    if (known !== undefined) return known;
    const opened = openDatabase<NovaCellDatabase>(url, this.options.sql);
    if (isLeft(opened)) return opened.left;
    this.pools.set(url, opened.right);
    return opened.right;
  }
}
