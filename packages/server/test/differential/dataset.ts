import type { Dataset } from '@os-hypervisors/core';

/**
 * The dataset both Nova (through bench/nova-oracle) and our handler serve in the differential test.
 * Every row is valid for Nova's schema (cpu_info NOT NULL, unique host+binary per live service) and
 * exists to exercise one rule; the comment says which. Heartbeats are relative to NOW, the frozen clock.
 */
export const NOW = new Date('2026-11-22T12:00:00Z');
/** The caller's project: hex, so the project-prefixed routes (`/v2.1/{project_id}/…`) match. */
export const PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const OTHER_PROJECT = 'ffff0000ffff0000ffff0000ffff0000';

const at = (offsetSeconds: number): string => new Date(NOW.getTime() + offsetSeconds * 1000).toISOString().slice(0, 19);

export const uuidOf = {
  node: (id: number): string => `c0de0000-0000-4000-8000-${id.toString().padStart(12, '0')}`,
  service: (id: number): string => `5e7c0000-0000-4000-8000-${id.toString().padStart(12, '0')}`,
  instance: (id: number): string => `1a5a0000-0000-4000-8000-${id.toString().padStart(12, '0')}`,
  aggregate: (id: number): string => `a6600000-0000-4000-8000-${id.toString().padStart(12, '0')}`,
};

const UPTIME_1 = ' 08:32:11 up 93 days, 18:25, 12 users,  load average: 0.20, 0.12, 0.14';
const UPTIME_2 = ' 12:00:00 up 1 day,  2:03,  0 users,  load average: 1.00, 0.50, 0.25';
const CPU_INTEL = '{"arch": "x86_64", "model": "Nehalem", "vendor": "Intel", "features": ["pge", "clflush"], "topology": {"cores": 1, "threads": 1, "sockets": 4}}';
// Integer-like keys keep their place and floats keep Python's repr (2.0, 1.5e-05, 1e+16); JS's JSON would not.
const CPU_ODD = '{"vendor":"AMD","10":"ten","2":"two","mhz":2.0,"ratio":1.5e-5,"big":1e16,"neg":-0.0,"nested":{"b":1,"a":[1.0,2.50]},"uni":"caf\\u00e9"}';

type Service = Dataset['services'][number];
type Node = Dataset['compute_nodes'][number];

const service = (id: number, host: string, fields: Partial<Service> = {}): Service => ({
  id, uuid: uuidOf.service(id), host, binary: 'nova-compute', topic: 'compute', disabled: false, disabled_reason: null,
  forced_down: false, last_seen_up: at(-10), created_at: at(-86_400), updated_at: at(-10), deleted: 0, version: 61,
  uptime: UPTIME_1, ...fields,
});

const node = (id: number, host: string | null, hostname: string | null, fields: Partial<Node> = {}): Node => ({
  id, uuid: uuidOf.node(id), host, hypervisor_hostname: hostname, hypervisor_type: 'QEMU', hypervisor_version: 6002000,
  host_ip: `192.168.10.${id}`, cpu_info: CPU_INTEL, vcpus: 16, memory_mb: 65536, local_gb: 1000, vcpus_used: 4,
  memory_mb_used: 8704, local_gb_used: 80, free_ram_mb: 56832, free_disk_gb: 920, current_workload: 0, running_vms: 2,
  disk_available_least: 900, service_id: null, deleted: 0, ...fields,
});

const ironic: Partial<Node> = {
  hypervisor_type: 'ironic', hypervisor_version: 1, host_ip: null, cpu_info: '', vcpus: 0, memory_mb: 0, local_gb: 0,
  vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0, free_ram_mb: null, free_disk_gb: null, current_workload: null,
  running_vms: null, disk_available_least: null, service_id: 5,
};

export const DATASET: Dataset = {
  services: [
    service(1, 'compute1'), // up, enabled
    // disabled; no last_seen_up: the heartbeat is created_at (recent), never updated_at. Non-ASCII reason.
    service(2, 'compute2', { disabled: true, disabled_reason: 'Maintenance \u2013 rack 7', last_seen_up: null, created_at: at(-30), updated_at: at(-3600), uptime: UPTIME_2 }),
    service(3, 'compute3', { last_seen_up: at(-61), disabled_reason: 'stale reason' }), // down (61 s), reason kept raw
    service(4, 'compute4', { forced_down: true, disabled: 1, disabled_reason: 'forced down for repair' }), // forced down
    service(5, 'ironic1', { last_seen_up: at(30), uptime: null, uptime_not_implemented: true }), // future heartbeat: up; driver cannot tell uptime
    service(6, 'compute6', { deleted: 1 }), // deleted: node 6 has no service
    service(7, 'compute6', { binary: 'nova-conductor', topic: 'conductor' }), // not a compute service
    service(8, 'compute8', { last_seen_up: at(-60), uptime: null }), // exactly service_down_time ago: up; no uptime known
    service(9, 'compute9', { disabled: true, disabled_reason: null }), // disabled without a reason
    service(10, 'compute10', { last_seen_up: at(-3600), forced_down: false }),
  ],
  compute_nodes: [
    node(1, 'compute1', 'hyper1.example.com', { service_id: 1, cpu_info: CPU_ODD }),
    node(2, 'compute2', 'hyper2.example.com', { service_id: 2, cpu_info: '', vcpus: 64, free_ram_mb: null, disk_available_least: -5 }),
    node(3, 'compute3', 'hyper3.example.com', { service_id: 3, running_vms: 1 }),
    node(4, 'compute4', 'other4.example.org', { service_id: 4, cpu_info: '{}' }),
    node(5, 'ironic1', 'ironic-node-a', ironic), // two nodes on one host, as with ironic
    node(6, 'compute6', 'hyper6.example.com', { service_id: 6 }), // no live nova-compute service: skipped / 404
    node(7, 'ironic1', 'ironic-node-b', { ...ironic, vcpus: 32, memory_mb: 131072, running_vms: 1 }),
    node(8, 'compute1', 'hyper8.example.com', { service_id: 1, deleted: 1 }), // deleted: never seen
    node(9, 'compute8', 'HYPER9.Example.COM', { service_id: 8 }), // upper case: LIKE on SQLite is case-insensitive
    node(10, 'compute9', 'hyper_10.example.com', { service_id: 9, host_ip: null }), // `_` in a hostname
    node(11, null, 'unassigned-node', {}), // no host at all: no service, no host mapping
    node(12, 'compute8', null, { service_id: 8 }), // no hypervisor_hostname (column is nullable)
    node(20, 'compute10', 'hyper20.example.com', { service_id: 10, hypervisor_version: 0 }), // id gap; down an hour
  ],
  aggregates: [
    { id: 1, uuid: uuidOf.aggregate(1), name: 'tenant-ab', availability_zone: null, hosts: ['compute1', 'compute2'], metadata: { filter_tenant_id: `${PROJECT},${OTHER_PROJECT}` }, created_at: '2026-01-02T03:04:05', updated_at: null },
    { id: 2, uuid: uuidOf.aggregate(2), name: 'az-east', availability_zone: 'az-east', hosts: ['compute4', 'ironic1'], metadata: { availability_zone: 'az-east', ssd: 'true' }, created_at: '2026-01-03T00:00:00', updated_at: '2026-02-03T00:00:00' },
    { id: 3, uuid: uuidOf.aggregate(3), name: 'empty', availability_zone: null, hosts: [], metadata: {}, created_at: '2026-01-04T00:00:00', updated_at: null },
  ],
  instances: [
    { id: 1, uuid: uuidOf.instance(1), display_name: 'web-1', host: 'compute1', node: 'hyper1.example.com', project_id: PROJECT, user_id: 'u1', vm_state: 'active', deleted: 0 },
    { id: 2, uuid: uuidOf.instance(2), display_name: 'web-2', host: 'compute1', node: 'hyper1.example.com', project_id: PROJECT, user_id: 'u1', vm_state: 'stopped', deleted: 0 },
    { id: 3, uuid: uuidOf.instance(3), display_name: 'gone', host: 'compute1', node: 'hyper1.example.com', project_id: PROJECT, user_id: 'u1', vm_state: 'deleted', deleted: 3 },
    { id: 4, uuid: uuidOf.instance(4), display_name: 'orphan', host: 'compute6', node: 'hyper6.example.com', project_id: OTHER_PROJECT, user_id: 'u3', vm_state: 'active', deleted: 0 },
    { id: 10, uuid: uuidOf.instance(10), display_name: 'bm-1', host: 'ironic1', node: 'ironic-node-a', project_id: OTHER_PROJECT, user_id: 'u3', vm_state: 'active', deleted: 0 },
    { id: 255, uuid: uuidOf.instance(255), display_name: 'db-1', host: 'compute3', node: 'hyper3.example.com', project_id: OTHER_PROJECT, user_id: 'u3', vm_state: 'error', deleted: 0 },
    { id: 300, uuid: uuidOf.instance(300), display_name: 'unscheduled', host: null, node: null, project_id: OTHER_PROJECT, user_id: 'u3', vm_state: 'building', deleted: 0 },
  ],
};
