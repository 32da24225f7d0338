import type { Dataset } from '@os-hypervisors/core';

/** `nodes` compute hosts, each with one node, one service and `instancesPerHost` instances. */
export const scaledDataset = (nodes: number, instancesPerHost = 2): Dataset => {
  const ids = Array.from({ length: nodes }, (_, i) => i + 1);
  const uuid = (prefix: string, id: number) => `${prefix}-0000-4000-8000-${id.toString().padStart(12, '0')}`;
  return {
    services: ids.map((id) => ({ id, uuid: uuid('5e000000', id), host: `host${id}`, binary: 'nova-compute', last_seen_up: '2025-01-02T03:04:00' })),
    compute_nodes: ids.map((id) => ({
      id, uuid: uuid('c0de0000', id), host: `host${id}`, hypervisor_hostname: `node${id}.example.com`, hypervisor_type: 'QEMU',
      hypervisor_version: 6002000, host_ip: '10.0.0.1', cpu_info: '{}', vcpus: 8, memory_mb: 1024, local_gb: 10, vcpus_used: 1,
      memory_mb_used: 512, local_gb_used: 1,
    })),
    aggregates: [{ id: 1, name: 'half', hosts: ids.filter((id) => id % 2 === 0).map((id) => `host${id}`), metadata: { filter_tenant_id: 'p1' } }],
    instances: ids.flatMap((id) =>
      Array.from({ length: instancesPerHost }, (_, k) => {
        const instanceId = id * instancesPerHost + k;
        return { id: instanceId, uuid: uuid('1a000000', instanceId), host: `host${id}`, display_name: `vm${instanceId}` };
      }),
    ),
  };
};
