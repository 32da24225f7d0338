import { flag, integer, nullable, text, varchar, type RowOf } from './columns.js';

/**
 * The schema at migration 1. Names and sizes follow Nova's tables (nova/db/main/models.py) so a real
 * Nova's rows fit; additions are derived data written by the importer, marked as such.
 */
const timestamp = nullable(varchar(64));

export const SERVICES = {
  id: integer,
  uuid: nullable(varchar(36)),
  host: varchar(255),
  binary: varchar(255),
  topic: nullable(varchar(255)),
  disabled: flag,
  disabled_reason: nullable(varchar(255)),
  forced_down: flag,
  last_seen_up: timestamp,
  created_at: timestamp,
  updated_at: timestamp,
  version: nullable(integer),
  report_count: nullable(integer),
  /** Not Nova's: the host's `uptime` output, which Nova asks the compute host for. */
  uptime: nullable(text),
  uptime_not_implemented: flag,
  /** 0 = live; otherwise the row's id (Nova's soft-delete convention keeps unique keys usable). */
  deleted: integer,
} as const;

export const COMPUTE_NODES = {
  id: integer,
  uuid: nullable(varchar(36)),
  host: nullable(varchar(255)),
  hypervisor_hostname: nullable(varchar(255)),
  /** Derived: `hypervisor_hostname` with A-Z folded, what hostname patterns are matched against. */
  hypervisor_hostname_folded: nullable(varchar(255)),
  hypervisor_type: varchar(255),
  hypervisor_version: integer,
  host_ip: nullable(varchar(39)),
  cpu_info: nullable(text),
  vcpus: integer,
  memory_mb: integer,
  local_gb: integer,
  vcpus_used: integer,
  memory_mb_used: integer,
  local_gb_used: integer,
  free_ram_mb: nullable(integer),
  free_disk_gb: nullable(integer),
  disk_available_least: nullable(integer),
  running_vms: nullable(integer),
  current_workload: nullable(integer),
  service_id: nullable(integer),
  created_at: timestamp,
  updated_at: timestamp,
  deleted: integer,
} as const;

export const AGGREGATES = {
  id: integer,
  uuid: nullable(varchar(36)),
  name: varchar(255),
  availability_zone: nullable(varchar(255)),
  created_at: timestamp,
  updated_at: timestamp,
  deleted_at: timestamp,
  deleted: integer,
} as const;

/** `position` keeps the dataset's order of hosts, which the os-aggregates view shows. */
export const AGGREGATE_HOSTS = {
  aggregate_id: integer,
  position: integer,
  host: varchar(255),
} as const;

/** `position` keeps the metadata's key order, which the os-aggregates view shows. */
export const AGGREGATE_METADATA = {
  aggregate_id: integer,
  position: integer,
  key: varchar(255),
  value: varchar(255),
} as const;

/** Derived at import: one row per project a `filter_tenant_id*` key lists, so visibility is a join. */
export const AGGREGATE_TENANTS = {
  aggregate_id: integer,
  project_id: varchar(255),
} as const;

export const INSTANCES = {
  id: integer,
  uuid: varchar(36),
  name: nullable(varchar(255)),
  display_name: nullable(varchar(255)),
  host: nullable(varchar(255)),
  node: nullable(varchar(255)),
  project_id: nullable(varchar(255)),
  user_id: nullable(varchar(255)),
  vm_state: nullable(varchar(255)),
  deleted: integer,
} as const;

export const TABLES = {
  services: SERVICES,
  compute_nodes: COMPUTE_NODES,
  aggregates: AGGREGATES,
  aggregate_hosts: AGGREGATE_HOSTS,
  aggregate_metadata: AGGREGATE_METADATA,
  aggregate_tenants: AGGREGATE_TENANTS,
  instances: INSTANCES,
} as const;

export type TableName = keyof typeof TABLES;

/** The database as the query builder sees it. */
export type OshDatabase = { [T in TableName]: RowOf<(typeof TABLES)[T]> };
