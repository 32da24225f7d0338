import type {
  AggregateRow,
  HypervisorStatistics,
  HypervisorStorage,
  InstanceRow,
  NodePageQuery,
  NodeWithService,
  StorageFault,
  Visibility,
} from '@os-hypervisors/core';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { tryCatch } from 'fp-ts/lib/TaskEither.js';
import type { Kysely } from 'kysely';
import { classifyFault } from './connection/classify-fault.js';
import type { SqlDialectName } from './connection/connection-url.js';
import type { PoolStats } from './connection/pool-limits.js';
import type { QueryCounter } from './connection/query-counter.js';
import type { PendingMigration } from './schema/pending-migration.js';
import * as aggregates from './queries/aggregates.js';
import { instancesByHosts } from './queries/instances.js';
import * as nodes from './queries/nodes.js';
import { statistics } from './queries/statistics.js';
import type { OshDatabase } from './schema/tables.js';

/**
 * The storage port over PostgreSQL, MariaDB/MySQL or SQLite. Every call is a bounded number of queries
 * whatever the data's size (1; 3 for aggregates; one per 500 hosts for `instancesByHosts`); every failure
 * is a StorageFault, never a throw.
 */
export class SqlStorage implements HypervisorStorage {
  constructor(
    readonly db: Kysely<OshDatabase>,
    readonly dialect: SqlDialectName,
    /** Statements sent so far; tests reset it and assert the cost of a call. */
    readonly queries: QueryCounter,
    /** Run before every call until it first succeeds (the schema migration a database outage put off). */
    private readonly pending?: PendingMigration,
    private readonly pool?: () => PoolStats | null,
  ) {}

  /** The connection pool's occupancy now (for metrics); null for SQLite, which has no pool. */
  poolStats(): PoolStats | null {
    return this.pool?.() ?? null;
  }

  /** True while the schema migration waits for the database (every call tries it, and answers 503 meanwhile). */
  get migrationPending(): boolean {
    return this.pending?.done === false;
  }

  listNodes(query: NodePageQuery): TaskEither<StorageFault, ReadonlyArray<NodeWithService>> {
    return this.run(() => nodes.listNodes(this.db, query));
  }

  findNodeById(id: number, visibility: Visibility): TaskEither<StorageFault, NodeWithService | null> {
    return this.run(() => nodes.findNodeById(this.db, id, visibility));
  }

  findNodeByUuid(uuid: string, visibility: Visibility): TaskEither<StorageFault, NodeWithService | null> {
    return this.run(() => nodes.findNodeByUuid(this.db, uuid, visibility));
  }

  searchNodes(pattern: string, visibility: Visibility): TaskEither<StorageFault, ReadonlyArray<NodeWithService>> {
    return this.run(() => nodes.searchNodes(this.db, pattern, visibility));
  }

  instancesByHosts(hosts: ReadonlyArray<string>): TaskEither<StorageFault, ReadonlyMap<string, ReadonlyArray<InstanceRow>>> {
    return this.run(() => instancesByHosts(this.db, hosts));
  }

  statistics(visibility: Visibility): TaskEither<StorageFault, HypervisorStatistics> {
    return this.run(() => statistics(this.db, visibility));
  }

  listAggregates(): TaskEither<StorageFault, ReadonlyArray<AggregateRow>> {
    return this.run(() => aggregates.listAggregates(this.db));
  }

  findAggregate(id: number): TaskEither<StorageFault, AggregateRow | null> {
    return this.run(() => aggregates.findAggregate(this.db, id));
  }

  /** Closes the pool (or the SQLite file). */
  close(): Promise<void> {
    return this.db.destroy();
  }

  private run<A>(work: () => Promise<A>): TaskEither<StorageFault, A> {
    const pending = this.pending;
    return tryCatch(pending === undefined ? work : async () => {
      await pending.ready();
      return work();
    }, classifyFault);
  }
}
