import * as t from 'io-ts';

/**
 * The Nova-shaped dataset: field names are Nova's database column names so that rows exported from a
 * real Nova (nova/db/main/models.py) load unchanged. Rows whose `deleted` is not 0 do not exist.
 * Timestamps are ISO-8601 UTC without a zone, as Nova stores them.
 */

const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null]);
/** Nova stores booleans as tinyint in MySQL exports; accept both. */
export const DbBoolean = t.union([t.boolean, t.literal(0), t.literal(1)]);
/** `deleted` is 0 for live rows, the row id (or any non-zero) once soft-deleted. */
const Deleted = t.union([t.number, t.boolean]);

export const ServiceRow = t.intersection([
  t.type({
    id: t.number,
    host: t.string,
    binary: t.string,
  }),
  t.partial({
    uuid: nullable(t.string),
    topic: nullable(t.string),
    disabled: DbBoolean,
    disabled_reason: nullable(t.string),
    forced_down: DbBoolean,
    last_seen_up: nullable(t.string),
    created_at: nullable(t.string),
    updated_at: nullable(t.string),
    deleted: Deleted,
    version: nullable(t.number),
    report_count: nullable(t.number),
    /** The host's `uptime` output, as nova-compute's driver would report it. */
    uptime: nullable(t.string),
    /** The driver cannot report uptime (Nova: NotImplementedError -> 501 / null). */
    uptime_not_implemented: t.boolean,
  }),
]);
export type ServiceRow = t.TypeOf<typeof ServiceRow>;

export const ComputeNodeRow = t.intersection([
  t.type({
    id: t.number,
    hypervisor_type: t.string,
    hypervisor_version: t.number,
    vcpus: t.number,
    memory_mb: t.number,
    local_gb: t.number,
    vcpus_used: t.number,
    memory_mb_used: t.number,
    local_gb_used: t.number,
  }),
  t.partial({
    uuid: nullable(t.string),
    host: nullable(t.string),
    hypervisor_hostname: nullable(t.string),
    host_ip: nullable(t.string),
    cpu_info: nullable(t.string),
    free_ram_mb: nullable(t.number),
    free_disk_gb: nullable(t.number),
    disk_available_least: nullable(t.number),
    running_vms: nullable(t.number),
    current_workload: nullable(t.number),
    service_id: nullable(t.number),
    deleted: Deleted,
    created_at: nullable(t.string),
    updated_at: nullable(t.string),
  }),
]);
export type ComputeNodeRow = t.TypeOf<typeof ComputeNodeRow>;

export const AggregateRow = t.intersection([
  t.type({
    id: t.number,
    name: t.string,
  }),
  t.partial({
    uuid: nullable(t.string),
    availability_zone: nullable(t.string),
    hosts: t.array(t.string),
    metadata: t.record(t.string, t.string),
    created_at: nullable(t.string),
    updated_at: nullable(t.string),
    deleted_at: nullable(t.string),
    deleted: Deleted,
  }),
]);
export type AggregateRow = t.TypeOf<typeof AggregateRow>;

export const InstanceRow = t.intersection([
  t.type({
    id: t.number,
    uuid: t.string,
  }),
  t.partial({
    name: nullable(t.string),
    display_name: nullable(t.string),
    host: nullable(t.string),
    node: nullable(t.string),
    project_id: nullable(t.string),
    user_id: nullable(t.string),
    vm_state: nullable(t.string),
    deleted: Deleted,
  }),
]);
export type InstanceRow = t.TypeOf<typeof InstanceRow>;

export const Dataset = t.type({
  services: t.array(ServiceRow),
  compute_nodes: t.array(ComputeNodeRow),
  aggregates: t.array(AggregateRow),
  instances: t.array(InstanceRow),
});
export type Dataset = t.TypeOf<typeof Dataset>;

/** Nova soft-deletes: a row is live only while `deleted` is 0 / false / absent. */
export const isLive = (row: { deleted?: number | boolean }): boolean => !row.deleted;

export const truthy = (v: boolean | 0 | 1 | undefined): boolean => v === true || v === 1;
