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

// ---------------------------------------------------------------------------------------------------
// Exact wire shapes per microversion range, for the response bodies table (response-bodies.ts) and the
// OpenAPI documents generated from it. Ids are integers below 2.53 and UUIDs from 2.53 on; `Int`,
// `Uuid` and `Uri` say so to JSON Schema (`integer`, `format: uuid`, `format: uri`).

export interface UuidBrand { readonly Uuid: unique symbol }
export interface UriBrand { readonly Uri: unique symbol }
const UUID_TEXT = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
/** A UUID as Nova stores it (oslo's `uuidutils.is_uuid_like` form: 32 hex digits, dashes optional). */
export const Uuid = t.brand(t.string, (s): s is t.Branded<string, UuidBrand> => UUID_TEXT.test(s), 'Uuid');
/** An absolute URL (Nova's links). */
export const Uri = t.brand(t.string, (s): s is t.Branded<string, UriBrand> => /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s), 'Uri');

const nullableString = t.union([t.string, t.null]);
const nullableInteger = t.union([t.Int, t.null]);

const summaryFields = {
  hypervisor_hostname: nullableString,
  state: t.keyof({ up: null, down: null }),
  status: t.keyof({ enabled: null, disabled: null }),
};
export const ServerRefV21 = t.type({ name: t.string, uuid: Uuid });
const withServers = t.partial({ servers: t.array(ServerRefV21) });

/** List, search, uptime (< 2.53): the integer id. */
export const HypervisorSummaryV21 = t.type({ id: t.Int, ...summaryFields });
/** 2.53+: the UUID id, `servers` when asked for (`with_servers`; an empty list from 2.75). */
export const HypervisorSummaryV253 = t.intersection([t.type({ id: Uuid, ...summaryFields }), withServers]);
/** The legacy `/{pattern}/servers` (< 2.53): `servers` when the host has any. */
export const HypervisorWithServersV21 = t.intersection([HypervisorSummaryV21, withServers]);

const ServiceV21 = t.type({ id: t.Int, host: nullableString, disabled_reason: nullableString });
const ServiceV253 = t.type({ id: Uuid, host: nullableString, disabled_reason: nullableString });
const detailFields = { hypervisor_type: t.string, hypervisor_version: t.Int, host_ip: nullableString };
const ResourcesV21 = t.type({
  vcpus: t.Int, memory_mb: t.Int, local_gb: t.Int, vcpus_used: t.Int, memory_mb_used: t.Int, local_gb_used: t.Int,
  free_ram_mb: nullableInteger, free_disk_gb: nullableInteger, current_workload: nullableInteger,
  running_vms: nullableInteger, disk_available_least: nullableInteger,
});
/** `cpu_info` from 2.28: the JSON object the virt driver reported (no schema: driver-specific). */
const CpuInfoObject = t.type({ cpu_info: t.UnknownRecord });

export const HypervisorDetailExactV21 = t.intersection([HypervisorSummaryV21, t.type({ ...detailFields, service: ServiceV21 }), ResourcesV21, t.type({ cpu_info: nullableString })]);
export const HypervisorDetailExactV228 = t.intersection([HypervisorSummaryV21, t.type({ ...detailFields, service: ServiceV21 }), ResourcesV21, CpuInfoObject]);
export const HypervisorDetailExactV253 = t.intersection([HypervisorSummaryV253, t.type({ ...detailFields, service: ServiceV253 }), ResourcesV21, CpuInfoObject]);
export const HypervisorDetailExactV288 = t.intersection([HypervisorSummaryV253, t.type({ ...detailFields, service: ServiceV253, uptime: nullableString })]);

/** `hypervisors_links`: exactly one `next` link, present only when a next page exists. */
export const NextPageLinks = t.tuple([t.type({ rel: t.literal('next'), href: Uri })]);

/** `{"hypervisors": [...]}`, with `hypervisors_links` from 2.33. */
export const hypervisorListBody = <C extends t.Mixed>(item: C, paged: boolean) =>
  paged
    ? t.intersection([t.type({ hypervisors: t.array(item) }), t.partial({ hypervisors_links: NextPageLinks })])
    : t.type({ hypervisors: t.array(item) });

/** `{"hypervisor": {...}}`. */
export const hypervisorBody = <C extends t.Mixed>(item: C) => t.type({ hypervisor: item });

export const HypervisorUptimeV21 = t.intersection([HypervisorSummaryV21, t.type({ uptime: nullableString })]);
export const HypervisorUptimeV253 = t.intersection([t.type({ id: Uuid, ...summaryFields }), t.type({ uptime: nullableString })]);

export const HypervisorStatisticsExact = t.type({
  hypervisor_statistics: t.type({
    count: t.Int, vcpus: t.Int, memory_mb: t.Int, local_gb: t.Int, vcpus_used: t.Int, memory_mb_used: t.Int,
    local_gb_used: t.Int, free_ram_mb: t.Int, free_disk_gb: t.Int, current_workload: t.Int, running_vms: t.Int,
    disk_available_least: t.Int,
  }),
});
