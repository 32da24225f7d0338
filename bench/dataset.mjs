// A Nova-shaped dataset of `nodes` hypervisors for benchmarks: deterministic, one service per host,
// a few instances per host, and aggregates granting `projects` projects a slice of the hosts each.
export const benchDataset = ({ nodes = 1000, projects = 10, instancesPerHost = 4, now = new Date('2026-11-22T12:00:00Z') } = {}) => {
  const hex = (n, width) => n.toString(16).padStart(width, '0');
  const uuid = (kind, n) => `${hex(kind, 8)}-0000-4000-8000-${hex(n, 12)}`;
  const iso = (ms) => new Date(ms).toISOString().slice(0, 19);
  const services = [];
  const compute_nodes = [];
  const instances = [];
  for (let i = 1; i <= nodes; i++) {
    const host = `compute-${hex(i, 4)}`;
    services.push({
      id: i, uuid: uuid(1, i), host, binary: 'nova-compute', topic: 'compute', disabled: i % 17 === 0,
      disabled_reason: i % 17 === 0 ? 'maintenance' : null, forced_down: false,
      last_seen_up: iso(now.getTime() - (i % 23 === 0 ? 600_000 : 5_000)), created_at: '2026-01-01T00:00:00',
      updated_at: null, deleted: 0, version: 61, uptime: ' 12:00:00 up 10 days,  2:03,  0 users,  load average: 0.10, 0.20, 0.30',
    });
    compute_nodes.push({
      id: i, uuid: uuid(2, i), host, hypervisor_hostname: `${host}.example.org`, hypervisor_type: 'QEMU',
      hypervisor_version: 8002000, host_ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      cpu_info: '{"arch": "x86_64", "model": "Cascadelake-Server", "vendor": "Intel", "topology": {"cells": 2, "sockets": 2, "cores": 24, "threads": 2}, "features": ["avx512f", "vmx", "ssse3"]}',
      vcpus: 96, memory_mb: 393216, local_gb: 1800, vcpus_used: 8, memory_mb_used: 32768, local_gb_used: 200,
      free_ram_mb: 360448, free_disk_gb: 1600, disk_available_least: 1500, running_vms: instancesPerHost,
      current_workload: 0, service_id: i, deleted: 0,
    });
    for (let k = 0; k < instancesPerHost; k++) {
      const id = (i - 1) * instancesPerHost + k + 1;
      instances.push({ id, uuid: uuid(3, id), host, node: `${host}.example.org`, project_id: `project${id % projects}`, deleted: 0 });
    }
  }
  const aggregates = Array.from({ length: projects }, (_, p) => ({
    id: p + 1, uuid: uuid(4, p + 1), name: `tenant-${p}`, availability_zone: null,
    hosts: compute_nodes.filter((n) => n.id % projects === p).map((n) => n.host),
    metadata: { filter_tenant_id: `${hex(p, 32)},${hex(p + 1000, 32)}` },
  }));
  return { services, compute_nodes, aggregates, instances };
};
