/**
 * The columns this backend reads from Nova's own tables (nova/db/api/models.py, nova/db/main/models.py),
 * as the drivers hand them over: booleans are 0/1 (MySQL tinyint, SQLite) or true/false (PostgreSQL),
 * DATETIME columns text (the pools ask for strings). Nothing here is ever written.
 */
type Flag = number | boolean;
type Timestamp = string | null;

/** The API database (`[api_database] connection`). Its rows are hard-deleted: no `deleted` column. */
export interface NovaApiDatabase {
  cell_mappings: {
    id: number;
    uuid: string;
    name: string | null;
    database_connection: string | null;
    disabled: Flag | null;
  };
  host_mappings: { id: number; cell_id: number; host: string };
  aggregates: { id: number; uuid: string | null; name: string | null; created_at: Timestamp; updated_at: Timestamp };
  aggregate_hosts: { id: number; host: string | null; aggregate_id: number };
  aggregate_metadata: { id: number; key: string; value: string; aggregate_id: number };
}

/** A cell database (`cell_mappings.database_connection`). Soft-deleted rows have `deleted` != 0. */
export interface NovaCellDatabase {
  compute_nodes: {
    id: number;
    uuid: string | null;
    host: string | null;
    hypervisor_hostname: string | null;
    hypervisor_type: string;
    hypervisor_version: number;
    host_ip: string | null;
    cpu_info: string | null;
    vcpus: number;
    memory_mb: number;
    local_gb: number;
    vcpus_used: number;
    memory_mb_used: number;
    local_gb_used: number;
    free_ram_mb: number | null;
    free_disk_gb: number | null;
    disk_available_least: number | null;
    running_vms: number | null;
    current_workload: number | null;
    service_id: number | null;
    /** JSON; Nova master reads the host's `uptime` from it before asking the host. */
    stats: string | null;
    created_at: Timestamp;
    updated_at: Timestamp;
    deleted: number;
  };
  services: {
    id: number;
    uuid: string | null;
    host: string | null;
    binary: string | null;
    topic: string | null;
    disabled: Flag | null;
    disabled_reason: string | null;
    forced_down: Flag | null;
    last_seen_up: Timestamp;
    created_at: Timestamp;
    updated_at: Timestamp;
    version: number | null;
    report_count: number;
    deleted: number;
  };
  instances: {
    id: number;
    uuid: string;
    display_name: string | null;
    host: string | null;
    node: string | null;
    project_id: string | null;
    user_id: string | null;
    vm_state: string | null;
    deleted: number;
  };
}

/** `nova.objects.CellMapping.CELL0_UUID`: the cell of instances never scheduled; it has no hosts. */
export const CELL0_UUID = '00000000-0000-0000-0000-000000000000';
