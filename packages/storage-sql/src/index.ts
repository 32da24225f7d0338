// Public API of @os-hypervisors/storage-sql.
import 'reflect-metadata';

export { SqlStorage } from './sql-storage.js';
export { openSqlStorage } from './open-sql-storage.js';
export { registerSqlStorage } from './register.js';
export { importDataset, importDatasetFromUrl, type ImportOptions, type ImportProgress, type ImportSummary } from './import/import-dataset.js';
export { migrateToLatest, MIGRATION_TABLE } from './schema/migrations.js';
export type { OshDatabase } from './schema/tables.js';
export type { SqlStorageOptions } from './connection/options.js';
export type { PoolStats } from './connection/pool-limits.js';
export { parseConnectionUrl, type ConnectionTarget, type SqlDialectName } from './connection/connection-url.js';
export { QueryCounter } from './connection/query-counter.js';
