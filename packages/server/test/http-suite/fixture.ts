import type { Dataset } from '@os-hypervisors/core';

/**
 * The suite's dataset, read against a fixed clock so up/down never depends on when the suite runs.
 * Each row exists to pin one rule of the reference (os-hypervisors.md); the comment says which.
 */
export const NOW = new Date('2025-01-02T03:04:05Z');

/** Nova's stored timestamp form: ISO-8601 UTC, no zone, no fraction; `offset` seconds from NOW. */
const at = (offset: number): string => new Date(NOW.getTime() + offset * 1000).toISOString().slice(0, 19);

export const UPTIME_1 = ' 08:32:11 up 93 days, 18:25, 12 users,  load average: 0.20, 0.12, 0.14';
export const UPTIME_2 = ' 03:04:05 up 1 day,  2:03,  0 users,  load average: 1.00, 0.50, 0.25';

/** Stored cpu_info texts; the 2.28+ forms are Python's json.dumps(json.loads(text)) (§6.3). */
export const CPU_INTEL = '{"arch": "x86_64", "model": "Nehalem", "vendor": "Intel", "features": ["pge", "clflush"], "topology": {"cores": 1, "threads": 1, "sockets": 4}}';
// Integer-like keys keep their place and floats keep Python's repr (2.0, 1.5e-05): JS's JSON would not.
export const CPU_AMD = '{"vendor":"AMD","model":"EPYC-Rome","10":"ten","2":"two","mhz":2.0,"ratio":1.5e-5,"topology":{"sockets":2,"cores":32,"threads":2}}';
export const CPU_AMD_OBJECT = '{"vendor": "AMD", "model": "EPYC-Rome", "10": "ten", "2": "two", "mhz": 2.0, "ratio": 1.5e-05, "topology": {"sockets": 2, "cores": 32, "threads": 2}}';

export const uuidOf = {
  node: (id: number): string => `c302cfd7-1ce3-4ede-bd97-${id.toString().padStart(12, '0')}`,
  service: (id: number): string => `efee464f-0000-4a4a-9a9a-${id.toString().padStart(12, '0')}`,
  instance: (id: number): string => `aaaaaaaa-0000-4000-8000-${id.toString().padStart(12, '0')}`,
};

export const PROJECT_AB = 'aaaa1111';
export const PROJECT_B = 'bbbb2222';
export const PROJECT_C = 'cccc3333';
export const PROJECT_NONE = 'dddd4444';

const service = (id: number, host: string, fields: Partial<Dataset['services'][number]> = {}): Dataset['services'][number] => ({
  id, uuid: uuidOf.service(id), host, binary: 'nova-compute', topic: 'compute', disabled: false, disabled_reason: null,
  forced_down: false, last_seen_up: at(-10), created_at: at(-86400), updated_at: at(-10), deleted: 0, version: 61, ...fields,
});

const node = (id: number, host: string, hostname: string, fields: Partial<Dataset['compute_nodes'][number]> = {}): Dataset['compute_nodes'][number] => ({
  id, uuid: uuidOf.node(id), host, hypervisor_hostname: hostname, hypervisor_type: 'QEMU', hypervisor_version: 6002000,
  host_ip: `192.168.10.${id}`, cpu_info: CPU_INTEL, vcpus: 16, memory_mb: 65536, local_gb: 1000, vcpus_used: 4,
  memory_mb_used: 8704, local_gb_used: 80, free_ram_mb: 56832, free_disk_gb: 920, current_workload: 0, running_vms: 2,
  disk_available_least: 900, service_id: null, deleted: 0, ...fields,
});

const ironic = {
  hypervisor_type: 'ironic', hypervisor_version: 1, host_ip: null, cpu_info: null, vcpus: 0, memory_mb: 0, local_gb: 0,
  vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0, free_ram_mb: null, free_disk_gb: null, current_workload: null,
  running_vms: null, disk_available_least: null, service_id: 5,
};

export const FIXTURE: Dataset = {
  services: [
    service(1, 'compute1', { last_seen_up: at(-60), uptime: UPTIME_1 }), // exactly service_down_time ago: still up (§8)
    // last_seen_up null: the heartbeat is created_at, never updated_at (§8). Non-ASCII reason: \u2013 on the wire.
    service(2, 'compute2', { disabled: true, disabled_reason: 'Maintenance \u2013 rack 7', last_seen_up: null, created_at: at(-30), updated_at: at(-3600), uptime: UPTIME_2 }),
    service(3, 'compute3', { last_seen_up: at(-61), disabled_reason: 'stale reason', uptime: UPTIME_1 }), // 61 s: down; reason kept raw
    service(4, 'compute4', { forced_down: true, disabled: 1, disabled_reason: 'forced down for repair', uptime: UPTIME_1 }),
    service(5, 'ironic1', { last_seen_up: at(30), uptime_not_implemented: true }), // future heartbeat within 60 s: up
    service(6, 'compute6', { deleted: 6 }), // deleted: node 6 has no service
    service(7, 'compute6', { binary: 'nova-conductor' }), // not a compute service: node 6 still has none
  ],
  compute_nodes: [
    node(1, 'compute1', 'hyper1.example.com', { service_id: 1 }),
    node(2, 'compute2', 'hyper2.example.com', {
      service_id: 2, cpu_info: CPU_AMD, vcpus: 64, memory_mb: 262144, local_gb: 2000, vcpus_used: 0, memory_mb_used: 512,
      local_gb_used: 0, free_ram_mb: 261632, free_disk_gb: 2000, current_workload: 0, running_vms: 0, disk_available_least: 1990,
    }),
    node(3, 'compute3', 'hyper3.example.com', {
      service_id: 3, vcpus: 8, memory_mb: 16384, local_gb: 500, vcpus_used: 2, memory_mb_used: 4096, local_gb_used: 40,
      free_ram_mb: 12288, free_disk_gb: 460, current_workload: 1, running_vms: 1, disk_available_least: 450,
    }),
    node(4, 'compute4', 'other4.example.org', { service_id: 4, cpu_info: '', vcpus: 4, memory_mb: 8192, local_gb: 100, vcpus_used: 0, memory_mb_used: 512, local_gb_used: 0, free_ram_mb: 7680, free_disk_gb: 100, running_vms: 0, disk_available_least: 100 }),
    node(5, 'ironic1', 'ironic-node-a', ironic), // two nodes on one host, as with ironic (§7.1)
    node(6, 'compute6', 'hyper6.example.com', { service_id: 6 }), // no live nova-compute service: skipped / 404
    node(7, 'ironic1', 'ironic-node-b', { ...ironic, vcpus: 32, memory_mb: 131072, local_gb: 800, free_ram_mb: 131072, free_disk_gb: 800, current_workload: 0, running_vms: 1, disk_available_least: 800 }),
    node(8, 'compute1', 'hyper8.example.com', { service_id: 1, deleted: 8 }), // deleted: never seen
  ],
  aggregates: [
    { id: 1, uuid: 'a0000000-0000-4000-8000-000000000001', name: 'tenant-ab', availability_zone: null, hosts: ['compute1', 'compute2'], metadata: { filter_tenant_id: `${PROJECT_AB},${PROJECT_B}` } },
    { id: 2, uuid: 'a0000000-0000-4000-8000-000000000002', name: 'tenant-c', availability_zone: null, hosts: ['compute3', 'ironic1'], metadata: { filter_tenant_id2: `${PROJECT_C},${PROJECT_B}` } },
    { id: 3, uuid: 'a0000000-0000-4000-8000-000000000003', name: 'az-east', availability_zone: 'az-east', hosts: ['compute4'], metadata: { availability_zone: 'az-east' } },
    { id: 4, uuid: 'a0000000-0000-4000-8000-000000000004', name: 'ssd', availability_zone: null, hosts: ['compute1'], metadata: { ssd: 'true' } },
  ],
  instances: [
    { id: 1, uuid: uuidOf.instance(1), name: 'instance-00000001', display_name: 'web-1', host: 'compute1', node: 'hyper1.example.com', project_id: PROJECT_AB, user_id: 'u1', vm_state: 'active', deleted: 0 },
    { id: 2, uuid: uuidOf.instance(2), display_name: 'web-2', host: 'compute1', node: 'hyper1.example.com', project_id: PROJECT_AB, user_id: 'u1', vm_state: 'stopped', deleted: 0 },
    { id: 3, uuid: uuidOf.instance(3), display_name: 'gone', host: 'compute1', node: 'hyper1.example.com', project_id: PROJECT_AB, user_id: 'u1', vm_state: 'deleted', deleted: 3 },
    { id: 4, uuid: uuidOf.instance(4), display_name: 'orphan', host: 'compute6', node: 'hyper6.example.com', project_id: PROJECT_C, user_id: 'u3', vm_state: 'active', deleted: 0 },
    { id: 10, uuid: uuidOf.instance(10), display_name: 'bm-1', host: 'ironic1', node: 'ironic-node-a', project_id: PROJECT_C, user_id: 'u3', vm_state: 'active', deleted: 0 },
    { id: 255, uuid: uuidOf.instance(255), display_name: 'db-1', host: 'compute3', node: 'hyper3.example.com', project_id: PROJECT_C, user_id: 'u3', vm_state: 'error', deleted: 0 },
    { id: 300, uuid: uuidOf.instance(300), display_name: 'unscheduled', host: null, node: null, project_id: PROJECT_C, user_id: 'u3', vm_state: 'building', deleted: 0 },
  ],
};
