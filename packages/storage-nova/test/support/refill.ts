import Database from 'better-sqlite3';
import type { Dataset } from '@os-hypervisors/core';
import type { CellName, NovaDatabases } from '@os-hypervisors/testing';

const fileOf = (sqlalchemyUrl: string): string => {
  if (!sqlalchemyUrl.startsWith('sqlite:////')) throw new Error(`not an absolute SQLite URL: ${sqlalchemyUrl}`);
  return sqlalchemyUrl.slice('sqlite:///'.length);
};

const flag = (v: unknown): number => (v === true || v === 1 ? 1 : 0);
const deletedOf = (row: { id: number; deleted?: number | boolean }): number => (row.deleted ? row.id : 0);

/**
 * Replaces the rows of SQLite databases Nova built (schema by Nova's migrations, cells mapped by
 * nova-manage) with `dataset`, in plain SQL: for property tests that need a fresh dataset per run, where
 * writing each through Nova's objects would cost seconds. Rows follow Nova's conventions (soft-deleted
 * rows keep `deleted = id`, aggregates of the API database are hard-deleted, so deleted ones are left out;
 * an aggregate's zone is its `availability_zone` metadata). `cellOf(host)`: the cell holding the host's
 * rows and its host mapping.
 */
export const refillNovaDatabases = (dbs: NovaDatabases, dataset: Dataset, cellOf: (host: string) => CellName): void => {
  const cellIds = new Map<string, number>();
  const api = new Database(fileOf(dbs.sqlalchemyUrls.api));
  try {
    for (const row of api.prepare('SELECT id, name FROM cell_mappings').all() as Array<{ id: number; name: string }>) cellIds.set(row.name, row.id);
    api.transaction(() => {
      for (const table of ['aggregate_metadata', 'aggregate_hosts', 'aggregates', 'host_mappings']) api.prepare(`DELETE FROM ${table}`).run();
      const hosts = new Set([...dataset.services, ...dataset.compute_nodes, ...dataset.instances].flatMap((r) => (r.host == null ? [] : [r.host])));
      for (const host of hosts) api.prepare('INSERT INTO host_mappings (cell_id, host) VALUES (?, ?)').run(cellIds.get(cellOf(host)), host);
      for (const a of dataset.aggregates) {
        if (a.deleted) continue;
        api.prepare('INSERT INTO aggregates (id, uuid, name, created_at) VALUES (?, ?, ?, ?)').run(a.id, a.uuid ?? `a0000000-0000-4000-8000-${String(a.id).padStart(12, '0')}`, a.name, a.created_at ?? '2026-01-01 00:00:00.000000');
        for (const host of a.hosts ?? []) api.prepare('INSERT INTO aggregate_hosts (aggregate_id, host) VALUES (?, ?)').run(a.id, host);
        const metadata = { ...(a.metadata ?? {}), ...(a.availability_zone == null ? {} : { availability_zone: a.availability_zone }) };
        for (const [key, value] of Object.entries(metadata)) api.prepare('INSERT INTO aggregate_metadata (aggregate_id, key, value) VALUES (?, ?, ?)').run(a.id, key, value);
      }
    })();
  } finally {
    api.close();
  }
  for (const cell of ['cell1', 'cell2'] as const) {
    const db = new Database(fileOf(dbs.sqlalchemyUrls[cell]));
    try {
      const here = (host: string | null | undefined) => (host == null ? cell === 'cell1' : cellOf(host) === cell);
      db.transaction(() => {
        for (const table of ['instances', 'compute_nodes', 'services']) db.prepare(`DELETE FROM ${table}`).run();
        for (const s of dataset.services.filter((r) => here(r.host))) {
          db.prepare('INSERT INTO services (id, uuid, host, binary, topic, disabled, disabled_reason, forced_down, last_seen_up, created_at, report_count, version, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)')
            .run(s.id, s.uuid ?? null, s.host, s.binary, s.topic ?? 'compute', flag(s.disabled), s.disabled_reason ?? null, flag(s.forced_down), s.last_seen_up ?? null, s.created_at ?? '2026-01-01 00:00:00.000000', s.version ?? 0, deletedOf(s));
        }
        for (const n of dataset.compute_nodes.filter((r) => here(r.host))) {
          db.prepare('INSERT INTO compute_nodes (id, uuid, host, hypervisor_hostname, hypervisor_type, hypervisor_version, cpu_info, vcpus, memory_mb, local_gb, vcpus_used, memory_mb_used, local_gb_used, service_id, stats, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
            .run(n.id, n.uuid ?? null, n.host ?? null, n.hypervisor_hostname ?? null, n.hypervisor_type, n.hypervisor_version, n.cpu_info ?? '', n.vcpus, n.memory_mb, n.local_gb, n.vcpus_used, n.memory_mb_used, n.local_gb_used, n.service_id ?? null, '{}', deletedOf(n));
        }
        for (const i of dataset.instances.filter((r) => here(r.host))) {
          db.prepare('INSERT INTO instances (id, uuid, display_name, host, node, project_id, user_id, vm_state, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
            .run(i.id, i.uuid, i.display_name ?? null, i.host ?? null, i.node ?? null, i.project_id ?? null, i.user_id ?? null, i.vm_state ?? null, deletedOf(i));
        }
      })();
    } finally {
      db.close();
    }
  }
};
