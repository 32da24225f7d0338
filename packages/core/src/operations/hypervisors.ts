import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import { faults, type Fault } from '../faults.js';
import type { PyJson } from '../json/py-json.js';
import { compareVersions, mv } from '../microversion/version.js';
import { isUuidLike, pythonInt } from '../model/identifiers.js';
import type { InstanceRow, NodeWithService, ServiceRow } from '../model/records.js';
import { isServiceUp } from '../model/service-state.js';
import { lastValue } from '../query/parse.js';
import { schemaBoolean } from '../query/hypervisor-schemas.js';
import { buildHypervisor, type HypervisorViewInput } from '../views/hypervisor.js';
import { collectionLinks } from '../views/links.js';
import { buildStatistics } from '../views/statistics.js';
import { fromStorage, type OperationContext, type OperationResult } from './context.js';
import { askUptime } from './uptime-lookup.js';

// nova/api/openstack/compute/hypervisors.py (Zed), one function per controller method.

const PAGING = mv('2.33');
const UUID_IDS = mv('2.53');
const SLIM_DETAIL = mv('2.88');
const atLeast = (ctx: OperationContext, v: typeof PAGING) => compareVersions(ctx.version, v) >= 0;

type Served = NodeWithService & { readonly service: ServiceRow };
/** Nodes without a live nova-compute service are silently skipped in lists (Nova logs and continues). */
const withService = (nodes: ReadonlyArray<NodeWithService>): Served[] => nodes.filter((n): n is Served => n.service !== null);

/**
 * The instances `servers` lists. A project-scoped grant sees only its own project's instances: a shared
 * host must not reveal other tenants' servers.
 */
const instancesFor = async (ctx: OperationContext, nodes: ReadonlyArray<Served>): Promise<Either<Fault, ReadonlyMap<string, ReadonlyArray<InstanceRow>>>> => {
  const hosts = [...new Set(nodes.map((n) => n.node.host).filter((h): h is string => h != null))];
  if (hosts.length === 0) return right(new Map());
  const found = await fromStorage(ctx.storage.instancesByHosts(hosts));
  const v = ctx.visibility;
  if (isLeft(found) || v.kind === 'all') return found;
  return right(new Map([...found.right].map(([host, instances]) => [host, instances.filter((i) => i.project_id === v.projectId)] as const)));
};

/** 2.88+ detail `uptime`: null when the service is down or the driver cannot tell (Nova catches those). */
const detailUptime = async (ctx: OperationContext, target: Served): Promise<Either<Fault, string | null>> => {
  if (!isServiceUp(target.service, ctx.now, ctx.config.serviceDownTime)) return right(null);
  const answer = await askUptime(ctx.uptime, target, ctx.config.uptimeTimeoutMs);
  if (isLeft(answer)) return answer;
  return right(answer.right.kind === 'uptime' ? answer.right.uptime : null);
};

const render = async (
  ctx: OperationContext,
  nodes: ReadonlyArray<Served>,
  opts: { detail: boolean; withServers: boolean; servers?: ReadonlyMap<string, ReadonlyArray<InstanceRow>> },
): Promise<Either<Fault, Array<Record<string, PyJson>>>> => {
  const wantUptime = opts.detail && atLeast(ctx, SLIM_DETAIL);
  // Hosts are asked concurrently, each within its own time limit.
  const uptimes = wantUptime ? await Promise.all(nodes.map((n) => detailUptime(ctx, n))) : null;
  const views: Array<Record<string, PyJson>> = new Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    let uptime: string | null | undefined;
    if (uptimes !== null) {
      const u = uptimes[i]!;
      if (isLeft(u)) return u;
      uptime = u.right;
    }
    const input: HypervisorViewInput = {
      node: n.node,
      service: n.service,
      up: isServiceUp(n.service, ctx.now, ctx.config.serviceDownTime),
      withServers: opts.withServers,
      servers: opts.servers === undefined ? undefined : (opts.servers.get(n.node.host ?? '') ?? []),
      uptime,
    };
    const view = buildHypervisor(ctx.version, input, opts.detail, ctx.config.instanceNameTemplate);
    if (isLeft(view)) return view;
    views[i] = view.right;
  }
  return right(views);
};

/** Where a page starts: after this node (and, for a multi-cell backend, in this cell). */
interface PageStart {
  readonly afterId: number;
  readonly afterCell?: string;
}

/** A marker is a uuid-like node uuid or an integer node id, at any paging version. */
const resolveMarker = async (ctx: OperationContext, marker: string): Promise<Either<Fault, PageStart>> => {
  const found = isUuidLike(marker)
    ? await fromStorage(ctx.storage.findNodeByUuid(marker, ctx.visibility))
    : /^\d+$/.test(marker)
      ? await fromStorage(ctx.storage.findNodeById(Number(marker), ctx.visibility))
      : right(null);
  if (isLeft(found)) return found;
  const hit = found.right;
  if (hit === null) return left(faults.markerNotFound(marker));
  return right(hit.cell === undefined ? { afterId: hit.node.id } : { afterId: hit.node.id, afterCell: hit.cell });
};

/** `GET /os-hypervisors` and `/os-hypervisors/detail`. */
export const listHypervisors = async (ctx: OperationContext, detail: boolean): Promise<OperationResult> => {
  const paging = atLeast(ctx, PAGING);
  const modern = atLeast(ctx, UUID_IDS);
  const pattern = modern ? lastValue(ctx.query, 'hypervisor_hostname_pattern') : undefined;
  const withServers = modern && schemaBoolean(lastValue(ctx.query, 'with_servers'));
  const marker = paging ? lastValue(ctx.query, 'marker') : undefined;
  const limitText = paging ? lastValue(ctx.query, 'limit') : undefined;

  let nodes: ReadonlyArray<NodeWithService>;
  if (pattern !== undefined) {
    // Paging with a pattern is refused with webob's generic text (Nova's own sentence is a `detail`).
    if (ctx.query.some(([k]) => k === 'limit') || (marker !== undefined && marker !== '')) return left(faults.pagingWithPattern());
    const found = await fromStorage(ctx.storage.searchNodes(pattern, ctx.visibility));
    if (isLeft(found)) return found;
    if (found.right.length === 0) return left(faults.noHypervisorMatching(pattern));
    nodes = found.right;
  } else {
    let start: PageStart | undefined;
    if (marker !== undefined) {
      const resolved = await resolveMarker(ctx, marker);
      if (isLeft(resolved)) return resolved;
      start = resolved.right;
    }
    const limit = paging ? Math.min(limitText === undefined ? ctx.config.maxLimit : Number(limitText), ctx.config.maxLimit) : undefined;
    if (limit === 0) {
      nodes = [];
    } else {
      const page = await fromStorage(ctx.storage.listNodes({ visibility: ctx.visibility, ...start, limit }));
      if (isLeft(page)) return page;
      nodes = page.right;
    }
  }

  const served = withService(nodes);
  let servers: ReadonlyMap<string, ReadonlyArray<InstanceRow>> | undefined;
  if (withServers) {
    const found = await instancesFor(ctx, served);
    if (isLeft(found)) return found;
    servers = found.right;
  }
  const views = await render(ctx, served, { detail, withServers, servers });
  if (isLeft(views)) return views;
  const body: Record<string, PyJson> = { hypervisors: views.right };
  if (paging && pattern === undefined) {
    const links = collectionLinks(ctx.links, ctx.query, detail ? 'os-hypervisors/detail' : 'os-hypervisors', views.right, ctx.config.maxLimit);
    if (links.length > 0) body.hypervisors_links = links;
  }
  return right(body);
};

/**
 * `_validate_id` then the node lookup: 2.53+ wants a uuid-like id (else 400), earlier versions an
 * integer (else the same 404 as a missing node). Hidden nodes are missing nodes.
 */
const findHypervisor = async (ctx: OperationContext, id: string): Promise<Either<Fault, Served>> => {
  let found: Either<Fault, NodeWithService | null>;
  if (atLeast(ctx, UUID_IDS)) {
    if (!isUuidLike(id)) return left(faults.invalidUuid(id));
    found = await fromStorage(ctx.storage.findNodeByUuid(id, ctx.visibility));
  } else {
    const n = pythonInt(id);
    if (n === null) return left(faults.hypervisorNotFound(id));
    found = await fromStorage(ctx.storage.findNodeById(n, ctx.visibility));
  }
  if (isLeft(found)) return found;
  const hit = found.right;
  return hit === null || hit.service === null ? left(faults.hypervisorNotFound(id)) : right(hit as Served);
};

/** `GET /os-hypervisors/{id}`. */
export const showHypervisor = async (ctx: OperationContext): Promise<OperationResult> => {
  const id = ctx.param ?? '';
  const withServers = atLeast(ctx, UUID_IDS) && schemaBoolean(lastValue(ctx.query, 'with_servers'));
  const target = await findHypervisor(ctx, id);
  if (isLeft(target)) return target;
  let servers: ReadonlyMap<string, ReadonlyArray<InstanceRow>> | undefined;
  if (withServers) {
    const found = await instancesFor(ctx, [target.right]);
    if (isLeft(found)) return found;
    servers = found.right;
  }
  const views = await render(ctx, [target.right], { detail: true, withServers, servers });
  return isLeft(views) ? views : right({ hypervisor: views.right[0]! });
};

/** `GET /os-hypervisors/{id}/uptime` (2.1–2.87). */
export const hypervisorUptime = async (ctx: OperationContext): Promise<OperationResult> => {
  const target = await findHypervisor(ctx, ctx.param ?? '');
  if (isLeft(target)) return target;
  const t = target.right;
  const up = isServiceUp(t.service, ctx.now, ctx.config.serviceDownTime);
  if (!up) return left(faults.computeUnavailable(t.node.host ?? ''));
  const answer = await askUptime(ctx.uptime, t, ctx.config.uptimeTimeoutMs);
  if (isLeft(answer)) return answer;
  if (answer.right.kind === 'not_implemented') return left(faults.notImplemented());
  const view = buildHypervisor(ctx.version, { ...t, up, withServers: false }, false, ctx.config.instanceNameTemplate);
  if (isLeft(view)) return view;
  return right({ hypervisor: { ...view.right, uptime: answer.right.uptime } });
};

/** `GET /os-hypervisors/{pattern}/search` and `/{pattern}/servers` (2.1–2.52). */
export const searchHypervisors = async (ctx: OperationContext, includeServers: boolean): Promise<OperationResult> => {
  const pattern = ctx.param ?? '';
  const found = await fromStorage(ctx.storage.searchNodes(pattern, ctx.visibility));
  if (isLeft(found)) return found;
  if (found.right.length === 0) return left(faults.noHypervisorMatching(pattern));
  // Nova looks each match's host up in turn and lets HostMappingNotFound fail the whole request.
  const unmapped = found.right.find((n) => n.hostUnmapped === true);
  if (unmapped !== undefined) return left(faults.hostNotMapped(unmapped.node.host));
  const served = withService(found.right);
  let servers: ReadonlyMap<string, ReadonlyArray<InstanceRow>> | undefined;
  if (includeServers) {
    const instances = await instancesFor(ctx, served);
    if (isLeft(instances)) return instances;
    servers = instances.right;
  }
  const views = await render(ctx, served, { detail: false, withServers: false, servers });
  return isLeft(views) ? views : right({ hypervisors: views.right });
};

/** `GET /os-hypervisors/statistics` (2.1–2.87), over the hypervisors the caller may see. */
export const hypervisorStatistics = async (ctx: OperationContext): Promise<OperationResult> => {
  const stats = await fromStorage(ctx.storage.statistics(ctx.visibility));
  return isLeft(stats) ? stats : right(buildStatistics(stats.right));
};
