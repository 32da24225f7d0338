import { type ApiVersion, mv } from '../microversion/version.js';
import type { HypervisorRule } from '../policy/decision.js';
import { LIST_QUERY_V233, LIST_QUERY_V253, SHOW_QUERY_V253 } from '../query/hypervisor-schemas.js';
import type { QuerySchema } from '../query/schema.js';

/** The operations this API serves; each maps to one controller method in Nova. */
export type Operation =
  | 'list' | 'detail' | 'statistics' | 'show' | 'uptime' | 'search' | 'servers'
  | 'aggregates-index' | 'aggregates-show';

/** One version range of an operation, with the query schema Nova attaches to it (none = ignored). */
export interface VersionedMethod {
  readonly min: ApiVersion;
  readonly max?: ApiVersion;
  readonly query?: QuerySchema;
}

export interface OperationSpec {
  /** The route below the API root (`/v2.1`, `/v2`, optionally `/{project_id}`), its parameter in braces. */
  readonly path: string;
  readonly methods: ReadonlyArray<VersionedMethod>;
  /** The hypervisor policy rule (aggregates routes carry their own names, see the handler). */
  readonly rule?: HypervisorRule;
  /**
   * Removed at this version and later. The answer is data per profile (reference README): Nova's plain
   * 404, or 410 Gone under the spec profile where it says so.
   */
  readonly removedAt?: ApiVersion;
}

/** nova/api/openstack/compute/hypervisors.py `@api_version` ranges and `@query_schema`s (Zed). */
export const OPERATIONS: Readonly<Record<Operation, OperationSpec>> = {
  list: {
    path: '/os-hypervisors',
    rule: 'list',
    methods: [{ min: mv('2.1'), max: mv('2.32') }, { min: mv('2.33'), max: mv('2.52'), query: LIST_QUERY_V233 }, { min: mv('2.53'), query: LIST_QUERY_V253 }],
  },
  detail: {
    path: '/os-hypervisors/detail',
    rule: 'list-detail',
    methods: [{ min: mv('2.1'), max: mv('2.32') }, { min: mv('2.33'), max: mv('2.52'), query: LIST_QUERY_V233 }, { min: mv('2.53'), query: LIST_QUERY_V253 }],
  },
  statistics: { path: '/os-hypervisors/statistics', rule: 'statistics', methods: [{ min: mv('2.1'), max: mv('2.87') }], removedAt: mv('2.88') },
  show: { path: '/os-hypervisors/{hypervisor_id}', rule: 'show', methods: [{ min: mv('2.1'), max: mv('2.52') }, { min: mv('2.53'), query: SHOW_QUERY_V253 }] },
  uptime: { path: '/os-hypervisors/{hypervisor_id}/uptime', rule: 'uptime', methods: [{ min: mv('2.1'), max: mv('2.87') }], removedAt: mv('2.88') },
  search: { path: '/os-hypervisors/{hypervisor_hostname_pattern}/search', rule: 'search', methods: [{ min: mv('2.1'), max: mv('2.52') }], removedAt: mv('2.53') },
  servers: { path: '/os-hypervisors/{hypervisor_hostname_pattern}/servers', rule: 'servers', methods: [{ min: mv('2.1'), max: mv('2.52') }], removedAt: mv('2.53') },
  'aggregates-index': { path: '/os-aggregates', methods: [{ min: mv('2.1') }] },
  'aggregates-show': { path: '/os-aggregates/{aggregate_id}', methods: [{ min: mv('2.1') }] },
};

/** Each operation's path under the API root, ids as placeholders (for logs and metric labels). */
export const ROUTE_TEMPLATES: Readonly<Record<Operation, string>> = {
  list: '/os-hypervisors',
  detail: '/os-hypervisors/detail',
  statistics: '/os-hypervisors/statistics',
  show: '/os-hypervisors/{id}',
  uptime: '/os-hypervisors/{id}/uptime',
  search: '/os-hypervisors/{hostname_pattern}/search',
  servers: '/os-hypervisors/{hostname_pattern}/servers',
  'aggregates-index': '/os-aggregates',
  'aggregates-show': '/os-aggregates/{id}',
};

/** A routed request: the operation and its one path parameter, already percent-decoded. */
export interface RouteMatch {
  readonly operation: Operation;
  readonly param?: string;
}

/**
 * Matches the path after the API prefix (and optional project segment), in Nova's route order
 * (nova/api/openstack/compute/routes.py), so `detail` and `statistics` are never taken as an `{id}`.
 * Only GET is routed; anything else is unrouted, as Nova answers it (a bare 404, never 405).
 */
export const matchOperation = (method: string, segments: ReadonlyArray<string>): RouteMatch | null => {
  if (method !== 'GET') return null;
  const [collection, a, b, ...rest] = segments;
  if (rest.length > 0 || segments.some((s) => s === '')) return null;
  if (collection === 'os-hypervisors') {
    if (a === undefined) return { operation: 'list' };
    if (b === undefined) {
      if (a === 'detail') return { operation: 'detail' };
      if (a === 'statistics') return { operation: 'statistics' };
      return { operation: 'show', param: a };
    }
    if (b === 'search' || b === 'servers' || b === 'uptime') return { operation: b, param: a };
    return null;
  }
  if (collection === 'os-aggregates' && b === undefined) {
    return a === undefined ? { operation: 'aggregates-index' } : { operation: 'aggregates-show', param: a };
  }
  return null;
};
