import type { Dataset } from '@os-hypervisors/core';

/**
 * The demo's bundled dataset: a small cloud of 36 hypervisors, built without randomness so every run
 * and every test sees the same rows. Heartbeats are placed relative to `now`, so the demo shows the
 * intended up/down states whenever it is started (Nova: a service is up while its last heartbeat is
 * within `service_down_time`, 60 s by default).
 */

/** Keystone-style project ids (32 hex digits, so they also work as `/v2.1/{project_id}/...` prefixes). */
export const SAMPLE_PROJECTS = {
  alpha: 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1',
  beta: 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2',
  gamma: 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3',
} as const;

/** The fixed "now" of data/sample-dataset.json (scripts/write-sample-dataset.mjs). */
export const SAMPLE_FILE_NOW = '2025-01-01T00:00:00Z';

type Service = Dataset['services'][number];
type ComputeNode = Dataset['compute_nodes'][number];
type Instance = Dataset['instances'][number];

const uuid = (kind: number, n: number): string =>
  `${(0x5a000000 + kind).toString(16)}-${(n >> 16).toString(16).padStart(4, '0')}-4${(n & 0xfff).toString(16).padStart(3, '0')}-8000-${n.toString(16).padStart(12, '0')}`;
const KIND = { service: 1, node: 2, aggregate: 3, instance: 4 } as const;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Nova's stored timestamp form: ISO-8601 UTC without zone or fraction. */
const stamp = (now: Date, secondsAgo: number): string => new Date(now.getTime() - secondsAgo * 1000).toISOString().slice(0, 19);

/** What `uptime` prints on a Linux host: the wall clock, then the time since boot. */
const uptimeText = (now: Date, days: number, users: number, load: number): string => {
  const clock = now.toISOString().slice(11, 19);
  const hours = (days * 7) % 24;
  const minutes = (days * 13) % 60;
  const l = (x: number) => x.toFixed(2);
  return ` ${clock} up ${days} days, ${String(hours).padStart(2)}:${pad2(minutes)}, ${String(users).padStart(2)} ${users === 1 ? "user" : "users"},  load average: ${l(load)}, ${l(load * 0.9)}, ${l(load * 0.8)}`;
};

// libvirt's cpu_info JSON text, as nova-compute stores it (key order kept by the API from 2.28).
const CPU_CASCADELAKE = '{"arch": "x86_64", "model": "Cascadelake-Server-noTSX", "vendor": "Intel", "topology": {"cells": 2, "sockets": 2, "cores": 20, "threads": 2}, "features": ["avx", "avx2", "avx512f", "avx512vl", "pku", "vmx", "sse4.2", "aes", "rdrand", "md-clear"], "maxphysaddr": {"mode": "emulate", "bits": 46}}';
const CPU_EPYC = '{"arch": "x86_64", "model": "EPYC-Rome", "vendor": "AMD", "topology": {"cells": 1, "sockets": 1, "cores": 64, "threads": 2}, "features": ["avx2", "svm", "sha-ni", "clwb", "rdpid", "wbnoinvd", "amd-ssbd", "npt"]}';
const CPU_HYPERV = '{"vendor": "Intel", "model": "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz", "arch": "x86_64", "features": ["mmx", "sse", "sse2", "sse3", "vmx"], "topology": {"cores": 24, "threads": 2, "sockets": 2}}';

interface HostPlan {
  readonly host: string;
  readonly disabled?: string | null; // a reason; null: disabled without one
  /** Seconds since the last heartbeat (down beyond 60). */
  readonly heartbeatAge?: number;
  readonly forcedDown?: boolean;
  readonly serviceDeleted?: boolean;
  readonly uptimeNotImplemented?: boolean;
}

const COMPUTE_COUNT = 31;

/** Per-host quirks; every other compute host is enabled and up. */
const QUIRKS: Readonly<Record<number, Omit<HostPlan, 'host'>>> = {
  7: { disabled: 'Scheduled maintenance: firmware upgrade' },
  11: { heartbeatAge: 2 * 3600 },
  15: { disabled: 'Hardware failure: DIMM replacement (ticket OPS-1234)' },
  19: { heartbeatAge: 600 },
  22: { disabled: null },
  23: { forcedDown: true, disabled: 'Evacuated after host failure' },
  27: { heartbeatAge: 90, disabled: 'Network flapping, investigating' },
  31: { serviceDeleted: true },
};

const computeHost = (i: number): string => `compute-${pad2(i)}`;

/** Instances: a dozen, on a handful of hosts (ids ascending, as Nova lists them). */
const INSTANCES: ReadonlyArray<readonly [id: number, host: string, display: string, project: string, state: string]> = [
  [1, 'compute-01', 'web-frontend-1', SAMPLE_PROJECTS.alpha, 'active'],
  [2, 'compute-01', 'web-frontend-2', SAMPLE_PROJECTS.alpha, 'active'],
  [3, 'compute-02', 'db-primary', SAMPLE_PROJECTS.alpha, 'active'],
  [4, 'compute-03', 'ci-runner-1', SAMPLE_PROJECTS.beta, 'active'],
  [5, 'compute-03', 'ci-runner-2', SAMPLE_PROJECTS.beta, 'stopped'],
  [6, 'compute-08', 'analytics-1', SAMPLE_PROJECTS.gamma, 'active'],
  [7, 'compute-08', 'analytics-2', SAMPLE_PROJECTS.gamma, 'paused'],
  [8, 'compute-11', 'legacy-app', SAMPLE_PROJECTS.gamma, 'error'],
  [9, 'compute-14', 'cache-1', SAMPLE_PROJECTS.beta, 'active'],
  [10, 'compute-20', 'batch-worker', SAMPLE_PROJECTS.alpha, 'active'],
  [11, 'ironic-conductor-1', 'bm-training-1', SAMPLE_PROJECTS.gamma, 'active'],
  [12, 'hyperv-01', 'win-build-agent', SAMPLE_PROJECTS.beta, 'active'],
];

const runningVms = (host: string): number => INSTANCES.filter(([, h]) => h === host).length;

export const buildSampleDataset = (now: Date): Dataset => {
  const services: Service[] = [];
  const nodes: ComputeNode[] = [];
  let serviceId = 0;
  let nodeId = 0;

  const addService = (plan: HostPlan, uptime: string | null): number => {
    serviceId += 1;
    const age = plan.heartbeatAge ?? 3 + (serviceId % 7);
    services.push({
      id: serviceId, uuid: uuid(KIND.service, serviceId), host: plan.host, binary: 'nova-compute', topic: 'compute',
      disabled: plan.disabled !== undefined, disabled_reason: plan.disabled ?? null, forced_down: plan.forcedDown === true,
      last_seen_up: stamp(now, age), created_at: stamp(now, 400 * 86400), updated_at: stamp(now, age),
      deleted: plan.serviceDeleted === true ? serviceId : 0, version: 61,
      ...(plan.uptimeNotImplemented === true ? { uptime_not_implemented: true } : { uptime }),
    });
    return serviceId;
  };

  // Libvirt compute hosts: Intel for 01-20, AMD for 21-31.
  for (let i = 1; i <= COMPUTE_COUNT; i++) {
    const plan: HostPlan = { host: computeHost(i), ...QUIRKS[i] };
    const sid = addService(plan, uptimeText(now, 20 + i * 11, i % 4, 0.25 + (i % 5) * 0.3));
    const amd = i > 20;
    const vcpus = amd ? 128 : 80;
    const memory = amd ? 1031891 : 772611;
    const disk = amd ? 3575 : 1787;
    const vcpusUsed = (i * 7) % 48;
    const memoryUsed = 512 + vcpusUsed * 4096;
    const diskUsed = vcpusUsed * 20;
    nodeId += 1;
    nodes.push({
      id: nodeId, uuid: uuid(KIND.node, nodeId), host: plan.host, hypervisor_hostname: `${plan.host}.dc1.example.com`,
      hypervisor_type: 'QEMU', hypervisor_version: amd ? 8002002 : 6002000, host_ip: `10.0.${amd ? 2 : 1}.${i}`,
      cpu_info: amd ? CPU_EPYC : CPU_CASCADELAKE, vcpus, memory_mb: memory, local_gb: disk, vcpus_used: vcpusUsed,
      memory_mb_used: memoryUsed, local_gb_used: diskUsed, free_ram_mb: memory - memoryUsed, free_disk_gb: disk - diskUsed,
      disk_available_least: disk - diskUsed - 7, running_vms: runningVms(plan.host), current_workload: i % 3 === 0 ? 1 : 0,
      service_id: sid, deleted: 0,
    });
  }

  // One ironic conductor serving four bare-metal nodes: several hypervisors on one host.
  const ironicService = addService({ host: 'ironic-conductor-1', uptimeNotImplemented: true }, null);
  for (let b = 1; b <= 4; b++) {
    nodeId += 1;
    const busy = b === 1;
    nodes.push({
      id: nodeId, uuid: uuid(KIND.node, nodeId), host: 'ironic-conductor-1', hypervisor_hostname: uuid(0xb0, b),
      hypervisor_type: 'ironic', hypervisor_version: 1, host_ip: '10.0.3.1', cpu_info: '', vcpus: busy ? 0 : 64,
      memory_mb: busy ? 0 : 262144, local_gb: busy ? 0 : 1800, vcpus_used: busy ? 64 : 0, memory_mb_used: busy ? 262144 : 0,
      local_gb_used: busy ? 1800 : 0, free_ram_mb: busy ? 0 : 262144, free_disk_gb: busy ? 0 : 1800,
      disk_available_least: busy ? 0 : 1800, running_vms: busy ? runningVms('ironic-conductor-1') : 0, current_workload: 0,
      service_id: ironicService, deleted: 0,
    });
  }

  // A Hyper-V host whose driver cannot report uptime (Nova: 501 on the uptime route, null from 2.88).
  const hypervService = addService({ host: 'hyperv-01', uptimeNotImplemented: true }, null);
  nodeId += 1;
  nodes.push({
    id: nodeId, uuid: uuid(KIND.node, nodeId), host: 'hyperv-01', hypervisor_hostname: 'HYPERV-01', hypervisor_type: 'hyperv',
    hypervisor_version: 10017763, host_ip: '10.0.4.1', cpu_info: CPU_HYPERV, vcpus: 96, memory_mb: 393216, local_gb: 1200,
    vcpus_used: 8, memory_mb_used: 16896, local_gb_used: 120, free_ram_mb: 376320, free_disk_gb: 1080, disk_available_least: 1040,
    running_vms: runningVms('hyperv-01'), current_workload: 0, service_id: hypervService, deleted: 0,
  });

  const instances: Instance[] = INSTANCES.map(([id, host, display, project, state]) => ({
    id, uuid: uuid(KIND.instance, id), display_name: display, host,
    node: nodes.find((n) => n.host === host)?.hypervisor_hostname ?? null,
    project_id: project, user_id: 'demo', vm_state: state, deleted: 0,
  }));

  const hosts = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, k) => computeHost(from + k));
  const aggregates: Dataset['aggregates'] = [
    {
      id: 1, uuid: uuid(KIND.aggregate, 1), name: 'tenant-alpha-beta', availability_zone: null, hosts: hosts(1, 6),
      metadata: { filter_tenant_id: `${SAMPLE_PROJECTS.alpha},${SAMPLE_PROJECTS.beta}` },
    },
    {
      id: 2, uuid: uuid(KIND.aggregate, 2), name: 'tenant-gamma', availability_zone: null, hosts: [...hosts(7, 12), 'ironic-conductor-1'],
      metadata: { filter_tenant_id: SAMPLE_PROJECTS.gamma, filter_tenant_id2: SAMPLE_PROJECTS.alpha },
    },
    { id: 3, uuid: uuid(KIND.aggregate, 3), name: 'ssd-hosts', availability_zone: null, hosts: hosts(13, 18), metadata: { ssd: 'true' } },
    {
      id: 4, uuid: uuid(KIND.aggregate, 4), name: 'az-east', availability_zone: 'az-east', hosts: [...hosts(19, 31), 'hyperv-01'],
      metadata: { availability_zone: 'az-east' },
    },
  ];

  return { services, compute_nodes: nodes, aggregates, instances };
};
