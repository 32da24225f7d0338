import type { Dataset } from '@os-hypervisors/core';

/**
 * The contract suite's dataset. Rows are listed out of id order on purpose (every backend must sort), and
 * each row pins one rule; the comment says which.
 */

type Service = Dataset['services'][number];
type Node = Dataset['compute_nodes'][number];

export const uuidOf = {
  node: (id: number): string => `4c0de000-0000-4000-8000-${id.toString().padStart(12, '0')}`,
  service: (id: number): string => `5e7f1ce0-0000-4000-8000-${id.toString().padStart(12, '0')}`,
  instance: (id: number): string => `1a57a9ce-0000-4000-8000-${id.toString().padStart(12, '0')}`,
};

const service = (id: number, host: string, fields: Partial<Service> = {}): Service => ({
  id, uuid: uuidOf.service(id), host, binary: 'nova-compute', topic: 'compute', disabled: false, disabled_reason: null,
  forced_down: false, last_seen_up: '2025-01-02T03:04:00', created_at: '2024-12-01T00:00:00', updated_at: '2025-01-02T03:04:00',
  deleted: 0, version: 61, ...fields,
});

/** Resources derived from the id so that sums tell which nodes were counted. */
const node = (id: number, host: string | null, hostname: string | null, fields: Partial<Node> = {}): Node => ({
  id, uuid: uuidOf.node(id), host, hypervisor_hostname: hostname, hypervisor_type: 'QEMU', hypervisor_version: 6002000,
  host_ip: `10.0.0.${id}`, cpu_info: '{"arch": "x86_64"}', vcpus: id * 2, memory_mb: id * 1024, local_gb: id * 100,
  vcpus_used: id, memory_mb_used: id * 512, local_gb_used: id * 10, free_ram_mb: id * 512, free_disk_gb: id * 90,
  current_workload: id % 3, running_vms: id % 4, disk_available_least: id * 80, service_id: null, deleted: 0, ...fields,
});

export const PROJECT = {
  /** Granted compute1 and compute2 by `filter_tenant_id` ("p-a, p-b": a space after the comma). */
  a: 'p-a',
  /** Granted by aggregate 1 and by the suffixed key `filter_tenant_id2` of aggregate 2. */
  b: 'p-b',
  /** Granted only through a deleted aggregate: nothing. */
  d: 'p-d',
  /** Granted by the key `filter_tenant_id:x`. */
  e: 'p-e',
  none: 'p-none',
} as const;

export const CONTRACT_DATASET: Dataset = {
  services: [
    service(6, 'ironic'),
    service(1, 'compute1'),
    service(2, 'compute2', { disabled: true, disabled_reason: 'maintenance' }), // disabled: out of statistics
    service(3, 'compute3', { disabled: 1, disabled_reason: 'tinyint' }), // MySQL-export boolean form
    service(4, 'compute4', { deleted: 4 }), // deleted: node 4 has no service
    service(5, 'compute4', { binary: 'nova-scheduler' }), // not a compute service: node 4 still has none
    service(7, 'retired'), // no node on this host; node 9 reaches it through service_id (statistics only)
    service(8, 'compute5', { forced_down: 1, uptime_not_implemented: true }),
    service(9, 'compute6', { uptime: ' 10:00:00 up 1 day' }),
  ],
  compute_nodes: [
    node(5, 'compute1', 'hyper_1.example.com'), // a literal `_`
    node(2, 'compute2', 'HYPER2.example.com', { service_id: 2 }), // upper case
    node(1, 'compute1', 'node1.example.com', { service_id: 1 }), // two nodes on one host
    node(3, 'compute3', 'hyper%3.example.org', { service_id: 3 }), // a literal `%`
    node(4, 'compute4', 'hyper4.example.com', { service_id: 4 }), // service-less
    node(6, 'ironic', 'ironic-a', {
      hypervisor_type: 'ironic', host_ip: null, cpu_info: null, free_ram_mb: null, free_disk_gb: null,
      current_workload: null, running_vms: null, disk_available_least: null,
    }), // NULL resources sum as 0
    node(7, 'ironic', 'ironic\\b', { hypervisor_type: 'ironic', cpu_info: '' }), // a backslash (a common LIKE escape char)
    node(8, 'compute1', 'hyper8.example.com', { deleted: 8 }), // deleted: never seen
    node(9, 'orphan', 'orphan9', { service_id: 7 }), // no service by host; statistics joins service 7 by id
    node(10, 'compute5', 'dual10', { service_id: 1 }), // joins service 8 by host AND service 1 by id: counted twice
    node(11, null, null), // no host: listed to `all`, visible to no project, matches no pattern
    node(12, 'compute6', '\u00dcBER-12.example.com'), // only ASCII letters fold
  ],
  aggregates: [
    { id: 2, uuid: 'a99e0000-0000-4000-8000-000000000002', name: 'tenant-bc', availability_zone: null, hosts: ['ironic', 'compute3'], metadata: { filter_tenant_id2: 'p-c,p-b' } },
    { id: 1, uuid: 'a99e0000-0000-4000-8000-000000000001', name: 'tenant-ab', availability_zone: null, hosts: ['compute1', 'compute2'], metadata: { ssd: 'true', filter_tenant_id: 'p-a, p-b' }, created_at: '2024-01-01T00:00:00' },
    { id: 3, uuid: 'a99e0000-0000-4000-8000-000000000003', name: 'az1', availability_zone: 'az1', hosts: ['compute6'], metadata: { availability_zone: 'az1' } }, // not tenant-restricted
    { id: 4, uuid: 'a99e0000-0000-4000-8000-000000000004', name: 'gone', hosts: ['compute5'], metadata: { filter_tenant_id: 'p-d' }, deleted: 1 }, // deleted: grants and restricts nothing
    { id: 5, uuid: 'a99e0000-0000-4000-8000-000000000005', name: 'tenant-e', hosts: ['compute5', 'orphan', 'COMPUTE1', 'compute1 '], metadata: { 'filter_tenant_id:x': 'p-e', other: 'v' } }, // hosts compare exactly: not compute1
    { id: 6, uuid: 'a99e0000-0000-4000-8000-000000000006', name: 'nobody', hosts: ['compute4'], metadata: { filter_tenant_id: '' } }, // restricted, grants nobody
    { id: 7, name: 'plain', hosts: ['compute6'] }, // no metadata at all
  ],
  instances: [
    { id: 3, uuid: uuidOf.instance(3), name: 'instance-00000003', display_name: 'c', host: 'compute1', node: 'node1.example.com', project_id: 'p-a', user_id: 'u', vm_state: 'active', deleted: 0 },
    { id: 1, uuid: uuidOf.instance(1), display_name: 'a', host: 'compute1', node: 'hyper_1.example.com', project_id: 'p-a', user_id: 'u', vm_state: 'active', deleted: 0 },
    { id: 2, uuid: uuidOf.instance(2), display_name: 'b', host: 'compute2', node: 'HYPER2.example.com', project_id: 'p-b', user_id: 'u', vm_state: 'stopped' },
    { id: 4, uuid: uuidOf.instance(4), display_name: 'gone', host: 'compute1', node: 'node1.example.com', deleted: 4 }, // deleted
    { id: 5, uuid: uuidOf.instance(5), display_name: 'unscheduled', host: null, node: null, vm_state: 'building' },
    { id: 6, uuid: uuidOf.instance(6), display_name: 'bm', host: 'ironic', node: 'ironic-a', deleted: false },
  ],
};
