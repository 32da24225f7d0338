import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import { faults, type Fault } from '../faults.js';
import { OrderedObject, type PyJson } from '../json/py-json.js';
import { pyLoads } from '../json/py-loads.js';
import { type ApiVersion, compareVersions, mv } from '../microversion/version.js';
import type { ComputeNodeRow, InstanceRow, ServiceRow } from '../model/dataset.js';
import { serviceStatus } from '../model/service-state.js';
import { instanceName } from './instance-name.js';

/** Everything one hypervisor object is built from; lookups happen before, in the handler. */
export interface HypervisorViewInput {
  readonly node: ComputeNodeRow;
  readonly service: ServiceRow;
  readonly up: boolean;
  /** The host's instances when `with_servers` (or the legacy servers route) asked for them. */
  readonly servers?: ReadonlyArray<InstanceRow>;
  readonly withServers: boolean;
  /** 2.88+ detail/show only. */
  readonly uptime?: string | null;
}

// Microversion switches of nova/api/openstack/compute/hypervisors.py `_view_hypervisor`, as data.
const UUID_IDS = mv('2.53');
const CPU_INFO_OBJECT = mv('2.28');
const EMPTY_SERVERS_LIST = mv('2.75');
const SLIM_DETAIL = mv('2.88');

const RESOURCE_FIELDS = [
  'vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb',
  'free_disk_gb', 'current_workload', 'running_vms', 'disk_available_least',
] as const;

const atLeast = (v: ApiVersion, min: ApiVersion): boolean => compareVersions(v, min) >= 0;

/**
 * Parsed `cpu_info` texts. Many nodes of a fleet report the same text, and parsed values are never
 * mutated, so a small bounded memo saves re-parsing on every list.
 */
const cpuInfoMemo = new Map<string, Either<Fault, PyJson>>();
const CPU_INFO_MEMO_SIZE = 512;

/** 2.28+: the stored text parsed (key order and number text kept); empty or NULL is `{}`. */
const cpuInfoObject = (text: string | null | undefined): Either<Fault, PyJson> => {
  if (text == null || text === '') return right(new OrderedObject([]));
  const memo = cpuInfoMemo.get(text);
  if (memo !== undefined) return memo;
  const parsed = pyLoads(text);
  // Nova lets the ValueError escape: a 500 naming json's exception class.
  const result: Either<Fault, PyJson> = isLeft(parsed) ? left(faults.unexpected('json.decoder.JSONDecodeError')) : right(parsed.right);
  if (cpuInfoMemo.size >= CPU_INFO_MEMO_SIZE) cpuInfoMemo.delete(cpuInfoMemo.keys().next().value!);
  cpuInfoMemo.set(text, result);
  return result;
};

/**
 * One hypervisor in Nova's key order (dict insertion order of `_view_hypervisor`). `detail` is the
 * detail/show form; the summary form serves list, search, servers and uptime.
 */
export const buildHypervisor = (
  version: ApiVersion,
  input: HypervisorViewInput,
  detail: boolean,
  instanceNameTemplate: string,
): Either<Fault, Record<string, PyJson>> => {
  const { node, service } = input;
  const uuids = atLeast(version, UUID_IDS);
  const view: Record<string, PyJson> = {
    id: uuids ? (node.uuid ?? null) : node.id,
    hypervisor_hostname: node.hypervisor_hostname ?? null,
    state: input.up ? 'up' : 'down',
    status: serviceStatus(service),
  };
  if (detail) {
    view.hypervisor_type = node.hypervisor_type;
    view.hypervisor_version = node.hypervisor_version;
    view.host_ip = node.host_ip ?? null;
    view.service = {
      id: uuids ? (service.uuid ?? null) : service.id,
      // Nova takes the host from the compute node, not from the service row.
      host: node.host ?? null,
      disabled_reason: service.disabled_reason ?? null,
    };
    if (!atLeast(version, SLIM_DETAIL)) {
      for (const f of RESOURCE_FIELDS) view[f] = node[f] ?? null;
      if (atLeast(version, CPU_INFO_OBJECT)) {
        const cpu = cpuInfoObject(node.cpu_info);
        if (isLeft(cpu)) return cpu;
        view.cpu_info = cpu.right;
      } else {
        view.cpu_info = node.cpu_info ?? null;
      }
    } else {
      view.uptime = input.uptime ?? null;
    }
  }
  if (input.servers !== undefined && input.servers.length > 0) {
    view.servers = input.servers.map((s) => ({ name: instanceName(instanceNameTemplate, s), uuid: s.uuid }));
  } else if (input.withServers && atLeast(version, EMPTY_SERVERS_LIST)) {
    view.servers = [];
  }
  return right(view);
};
