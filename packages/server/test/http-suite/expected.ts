import { CPU_AMD, CPU_AMD_OBJECT, CPU_INTEL, FIXTURE, UPTIME_1, UPTIME_2, uuidOf } from './fixture.js';

/**
 * The suite's oracle, written from the reference (os-hypervisors.md §6, microversions.md §3), not from
 * the core: expected bodies are assembled here and serialised the way Python's json.dumps does.
 */

/** A piece of JSON text spliced in as is (cpu_info whose key order and floats JS cannot reproduce). */
export class RawJson {
  constructor(readonly text: string) {}
}
export type Py = null | boolean | number | string | RawJson | ReadonlyArray<Py> | { readonly [k: string]: Py };

const pyString = (s: string): string =>
  JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Python's `json.dumps(v)`: `", "` and `": "` separators, insertion order, ASCII only. */
export const py = (v: Py): string => {
  if (v instanceof RawJson) return v.text;
  if (v === null) return 'null';
  if (typeof v === 'string') return pyString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  return `{${Object.entries(v as Record<string, Py>).map(([k, x]) => `${pyString(k)}: ${py(x)}`).join(', ')}}`;
};

export const fault = (key: string, code: number, message: string): string => py({ [key]: { code, message } });
export const notFound = (message: string): string => fault('itemNotFound', 404, message);
export const badRequest = (message: string): string => fault('badRequest', 400, message);
export const GENERIC_NOT_FOUND = notFound('The resource could not be found.');
export const WEBOB_BAD_REQUEST = 'The server could not comply with the request since it is either malformed or otherwise incorrect.';
/**
 * webob's HTTPGone explanation, as Nova sends it for its own removed APIs (compute/cells.py, fping.py).
 * Checked by running Nova's `wsgi.Fault(webob.exc.HTTPGone())` on Debian's webob: one space after the
 * first sentence (the two in webob's source are folded).
 */
export const GONE = fault('computeFault', 410, 'This resource is no longer available. No forwarding address is given.');
export const forbidden = (rule: string): string => fault('forbidden', 403, `Policy doesn't allow os_compute_api:os-hypervisors:${rule} to be performed.`);

/** webob's bare 404 for unrouted paths/methods (§2): not a Nova fault, no version headers. */
export const WEBOB_404_JSON = '{"message": "The resource could not be found.<br /><br />\\n\\n\\n", "code": "404 Not Found", "title": "Not Found"}';
export const WEBOB_404_TEXT = '404 Not Found\n\nThe resource could not be found.\n\n   ';

// ---- versions ----------------------------------------------------------------------------------

export const cmp = (a: string, b: string): number => {
  const [am, an] = a.split('.').map(Number) as [number, number];
  const [bm, bn] = b.split('.').map(Number) as [number, number];
  return am - bm || an - bn;
};
export const atLeast = (v: string, min: string): boolean => cmp(v, min) >= 0;

/** The microversion boundaries every route is checked at; 2.93 is `latest` by default. */
export const BOUNDARIES = ['2.1', '2.27', '2.28', '2.32', '2.33', '2.52', '2.53', '2.74', '2.75', '2.87', '2.88', '2.93'] as const;

export type HeaderPairs = ReadonlyArray<readonly [string, string]>;
export const versionHeaders = (v: string): HeaderPairs => [
  ['openstack-api-version', `compute ${v}`],
  ['x-openstack-nova-api-version', v],
  ['vary', 'OpenStack-API-Version'],
  ['vary', 'X-OpenStack-Nova-API-Version'],
];
/** Success: Content-Type first, then the version headers (§11). `v` null: no version headers (legacy /v2, `/`). */
export const successHeaders = (v: string | null, contentType = 'application/json'): HeaderPairs => [
  ['content-type', contentType],
  ...(v === null ? [] : versionHeaders(v)),
];
/** Faults: version headers first, then the charset'd Content-Type (§11). */
export const faultHeaders = (v: string | null): HeaderPairs => [
  ...(v === null ? [] : versionHeaders(v)),
  ['content-type', 'application/json; charset=UTF-8'],
];

// ---- hypervisors -------------------------------------------------------------------------------

/** Nodes a system-wide caller sees, in id order: 6 has no live nova-compute service, 8 is deleted. */
export const VISIBLE = [1, 2, 3, 4, 5, 7] as const;

interface NodeFacts {
  readonly state: 'up' | 'down';
  readonly status: 'enabled' | 'disabled';
  /** What `uptime` reads at ≥ 2.88 (null: down, forced down, not implemented). */
  readonly uptime: string | null;
}

/** Stated, not computed: the oracle must not share the rule it checks (§8). */
export const FACTS: Readonly<Record<number, NodeFacts>> = {
  1: { state: 'up', status: 'enabled', uptime: UPTIME_1 },
  2: { state: 'up', status: 'disabled', uptime: UPTIME_2 },
  3: { state: 'down', status: 'enabled', uptime: null },
  4: { state: 'down', status: 'disabled', uptime: null },
  5: { state: 'up', status: 'enabled', uptime: null },
  7: { state: 'up', status: 'enabled', uptime: null },
};

/** Live instances per host in id order, named `instance-%08x` of their id (§6.2). */
export const SERVERS: Readonly<Record<string, ReadonlyArray<{ name: string; uuid: string }>>> = {
  compute1: [{ name: 'instance-00000001', uuid: uuidOf.instance(1) }, { name: 'instance-00000002', uuid: uuidOf.instance(2) }],
  compute3: [{ name: 'instance-000000ff', uuid: uuidOf.instance(255) }],
  ironic1: [{ name: 'instance-0000000a', uuid: uuidOf.instance(10) }],
};

const CPU_OBJECT: Readonly<Record<string, string>> = { [CPU_INTEL]: CPU_INTEL, [CPU_AMD]: CPU_AMD_OBJECT };

const cpuInfo = (text: string | null | undefined, v: string): Py => {
  if (!atLeast(v, '2.28')) return text ?? null;
  if (text == null || text === '') return new RawJson('{}');
  return new RawJson(CPU_OBJECT[text]!);
};

export const nodeRow = (id: number) => FIXTURE.compute_nodes.find((n) => n.id === id)!;
const serviceRow = (host: string) => FIXTURE.services.find((s) => s.host === host && s.binary === 'nova-compute' && !s.deleted)!;

export type ServersMode = 'none' | 'with_servers' | 'servers_route';

/** One hypervisor object, keys in the controller's insertion order (§6.1). */
export const hypervisor = (id: number, v: string, detail: boolean, servers: ServersMode = 'none'): Record<string, Py> => {
  const n = nodeRow(id);
  const facts = FACTS[id]!;
  const uuids = atLeast(v, '2.53');
  const out: Record<string, Py> = {
    id: uuids ? n.uuid! : n.id,
    hypervisor_hostname: n.hypervisor_hostname ?? null,
    state: facts.state,
    status: facts.status,
  };
  if (detail) {
    const s = serviceRow(n.host!);
    out.hypervisor_type = n.hypervisor_type;
    out.hypervisor_version = n.hypervisor_version;
    out.host_ip = n.host_ip ?? null;
    out.service = { id: uuids ? s.uuid! : s.id, host: n.host!, disabled_reason: s.disabled_reason ?? null };
    if (!atLeast(v, '2.88')) {
      for (const f of ['vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms', 'disk_available_least'] as const) {
        out[f] = n[f] ?? null;
      }
      out.cpu_info = cpuInfo(n.cpu_info, v);
    } else {
      out.uptime = facts.uptime;
    }
  }
  const list = SERVERS[n.host!] ?? [];
  if (servers !== 'none' && list.length > 0) out.servers = list;
  else if (servers === 'with_servers' && atLeast(v, '2.75')) out.servers = [];
  return out;
};

export const hypervisorList = (ids: ReadonlyArray<number>, v: string, detail: boolean, servers: ServersMode = 'none', links?: ReadonlyArray<string>): string => {
  const body: Record<string, Py> = { hypervisors: ids.map((id) => hypervisor(id, v, detail, servers)) };
  if (links !== undefined) body.hypervisors_links = links.map((href) => ({ rel: 'next', href }));
  return py(body);
};

/** `compute_node_statistics`: enabled nova-compute services only, down ones included (§6.5): nodes 1, 3, 5, 7. */
export const STATISTICS_NODES = [1, 3, 5, 7] as const;
export const statistics = (ids: ReadonlyArray<number> = STATISTICS_NODES): string => {
  const keys = ['vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms', 'disk_available_least'] as const;
  const sums: Record<string, Py> = { count: ids.length };
  for (const k of keys) sums[k] = ids.reduce((acc, id) => acc + (nodeRow(id)[k] ?? 0), 0);
  return py({ hypervisor_statistics: sums });
};

/** The uptime route's body (summary fields + `uptime`, §9). */
export const uptimeBody = (id: number, v: string, uptime: string): string =>
  py({ hypervisor: { ...hypervisor(id, v, false), uptime } });
