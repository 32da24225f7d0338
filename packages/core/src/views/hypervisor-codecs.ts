import * as t from 'io-ts';

/**
 * The wire shapes of a hypervisor per microversion range. Types come from these codecs; tests decode
 * responses with them. `cpu_info` (2.28–2.87) is whatever JSON the compute node reported.
 */
const Id = t.union([t.number, t.string]);

export const ServerRef = t.type({ name: t.string, uuid: t.string });
export type ServerRef = t.TypeOf<typeof ServerRef>;

export const HypervisorSummary = t.intersection([
  t.type({
    id: Id,
    hypervisor_hostname: t.union([t.string, t.null]),
    state: t.union([t.literal('up'), t.literal('down')]),
    status: t.union([t.literal('enabled'), t.literal('disabled')]),
  }),
  t.partial({ servers: t.array(ServerRef) }),
]);
export type HypervisorSummary = t.TypeOf<typeof HypervisorSummary>;

export const HypervisorService = t.type({
  id: Id,
  host: t.union([t.string, t.null]),
  disabled_reason: t.union([t.string, t.null]),
});

const nullableInt = t.union([t.number, t.null]);

export const HypervisorResources = t.type({
  vcpus: t.number, memory_mb: t.number, local_gb: t.number,
  vcpus_used: t.number, memory_mb_used: t.number, local_gb_used: t.number,
  free_ram_mb: nullableInt, free_disk_gb: nullableInt, current_workload: nullableInt,
  running_vms: nullableInt, disk_available_least: nullableInt,
});

const DetailCommon = t.intersection([
  HypervisorSummary,
  t.type({
    hypervisor_type: t.string,
    hypervisor_version: t.number,
    host_ip: t.union([t.string, t.null]),
    service: HypervisorService,
  }),
]);

/** 2.1–2.27: `cpu_info` is the stored text. */
export const HypervisorDetailV21 = t.intersection([DetailCommon, HypervisorResources, t.type({ cpu_info: t.union([t.string, t.null]) })]);
/** 2.28–2.87: `cpu_info` is an object. */
export const HypervisorDetailV228 = t.intersection([DetailCommon, HypervisorResources, t.type({ cpu_info: t.UnknownRecord })]);
/** 2.88+: resources gone, `uptime` in. */
export const HypervisorDetailV288 = t.intersection([DetailCommon, t.type({ uptime: t.union([t.string, t.null]) })]);
export type HypervisorDetailV288 = t.TypeOf<typeof HypervisorDetailV288>;

export const HypervisorStatisticsBody = t.type({
  hypervisor_statistics: t.type({
    count: t.number, vcpus: t.number, memory_mb: t.number, local_gb: t.number, vcpus_used: t.number,
    memory_mb_used: t.number, local_gb_used: t.number, free_ram_mb: t.number, free_disk_gb: t.number,
    current_workload: t.number, running_vms: t.number, disk_available_least: t.number,
  }),
});

export const PageLink = t.type({ rel: t.literal('next'), href: t.string });
