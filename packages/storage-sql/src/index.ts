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
// The connection stack, for other backends over other schemas (storage-nova reads Nova's own databases).
export { openDatabase, type OpenedDatabase } from './connection/open-database.js';
export { classifyFault, isOutage } from './connection/classify-fault.js';
export { fitsIntegerColumn, fitsTextColumn, INTEGER_RANGE } from './schema/columns.js';
export { HOSTS_PER_QUERY } from './queries/instances.js';
export { likeContaining, LIKE_ESCAPE } from './queries/hostname-pattern.js';
export { toStatistics } from './queries/row-mapping.js';
export { groupByAggregate } from './queries/aggregates.js';
