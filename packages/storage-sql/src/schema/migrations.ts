import { Migrator, MysqlAdapter, sql, type Kysely, type Migration } from 'kysely';
import type { ColumnSpec } from './columns.js';
import { TABLES, type TableName } from './tables.js';

/** The version table: kysely's migrator records each applied migration here (and locks it while migrating). */
export const MIGRATION_TABLE = 'osh_schema_version';
export const MIGRATION_LOCK_TABLE = 'osh_schema_version_lock';

type DataType = 'integer' | 'smallint' | 'text' | `varchar(${number})`;
/** As migration 1 was first applied: `text` everywhere (64 KB on MySQL; migration 2 widens it there). */
const dataType = (column: ColumnSpec): DataType =>
  column.kind === 'integer' ? 'integer'
  : column.kind === 'flag' ? 'smallint'
  : column.kind === 'text' ? 'text'
  : `varchar(${column.length ?? 255})`;

const PRIMARY_KEYS: Record<TableName, ReadonlyArray<string>> = {
  services: ['id'],
  compute_nodes: ['id'],
  aggregates: ['id'],
  aggregate_hosts: ['aggregate_id', 'position'],
  aggregate_metadata: ['aggregate_id', 'position'],
  aggregate_tenants: ['aggregate_id', 'project_id'],
  instances: ['id'],
};

/** Every lookup the storage port makes, and Nova's unique key on services. */
const INDEXES: ReadonlyArray<{ name: string; table: TableName; columns: string[]; unique?: boolean }> = [
  { name: 'services_host_binary_deleted_idx', table: 'services', columns: ['host', 'binary', 'deleted'], unique: true },
  { name: 'compute_nodes_uuid_idx', table: 'compute_nodes', columns: ['uuid'] },
  { name: 'compute_nodes_host_idx', table: 'compute_nodes', columns: ['host'] },
  { name: 'compute_nodes_hostname_idx', table: 'compute_nodes', columns: ['hypervisor_hostname'] },
  { name: 'compute_nodes_deleted_id_idx', table: 'compute_nodes', columns: ['deleted', 'id'] },
  { name: 'aggregate_hosts_host_idx', table: 'aggregate_hosts', columns: ['host'] },
  { name: 'aggregate_tenants_project_idx', table: 'aggregate_tenants', columns: ['project_id', 'aggregate_id'] },
  { name: 'instances_host_idx', table: 'instances', columns: ['host', 'deleted'] },
];

/**
 * MySQL/MariaDB compare strings by collation; the default ones fold case and accents and ignore trailing
 * spaces, so `host` joins would differ from PostgreSQL, SQLite and the memory backend. A binary collation
 * without padding compares exactly, as they do.
 */
const mysqlExactCollation = async (db: Kysely<unknown>): Promise<string> => {
  const { rows } = await sql<{ Collation: string }>`show collation where ${sql.ref('Collation')} in ('utf8mb4_nopad_bin', 'utf8mb4_0900_bin')`.execute(db);
  const names = rows.map((r) => r.Collation);
  return names.find((n) => n === 'utf8mb4_nopad_bin') ?? names[0] ?? 'utf8mb4_bin';
};

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    const isMysql = db.getExecutor().adapter instanceof MysqlAdapter;
    const collation = isMysql ? await mysqlExactCollation(db) : null;
    for (const [table, columns] of Object.entries(TABLES) as Array<[TableName, Record<string, ColumnSpec>]>) {
      let create = db.schema.createTable(table);
      for (const [name, column] of Object.entries(columns)) {
        create = create.addColumn(name, dataType(column), (c) => (column.nullable ? c : c.notNull()));
      }
      create = create.addPrimaryKeyConstraint(`${table}_pk`, PRIMARY_KEYS[table] as never);
      if (collation !== null) create = create.modifyEnd(sql`character set utf8mb4 collate ${sql.raw(collation)}`);
      await create.execute();
    }
    for (const index of INDEXES) {
      let create = db.schema.createIndex(index.name).on(index.table).columns(index.columns);
      if (index.unique === true) create = create.unique();
      await create.execute();
    }
  },
};

/**
 * MySQL's TEXT holds 64 KB; Nova's `cpu_info` and the uptime text are MEDIUMTEXT there (16 MB, see
 * TEXT_MAX_BYTES). PostgreSQL's and SQLite's `text` have no such limit: nothing to do there. The columns
 * are named here, not read from `tables.ts`, so this migration stays what it was when applied.
 */
const mysqlMediumText: Migration = {
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof MysqlAdapter)) return;
    for (const [table, column] of [['services', 'uptime'], ['compute_nodes', 'cpu_info']] as const) {
      await sql`alter table ${sql.table(table)} modify ${sql.ref(column)} mediumtext null`.execute(db);
    }
  },
};

/**
 * Migrations by name, applied in name order; a schema change is always a new one. Migration 1 creates the
 * tables from `tables.ts`; `test/migration-ddl.test.ts` pins the DDL every migration sends per dialect, so
 * a change to `tables.ts` that would alter an applied migration fails there (freeze migration 1 as
 * explicit DDL then, and put the change in a new migration, as 2 does).
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = { '0001_initial': initial, '0002_mysql_mediumtext': mysqlMediumText };

/** Applies pending migrations; safe to run from several replicas at once (the migrator locks). */
export const migrateToLatest = async <DB>(db: Kysely<DB>): Promise<void> => {
  const migrator = new Migrator({
    db: db as Kysely<unknown>,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed === undefined ? '' : `${failed} `}failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
};
