import { faultKey } from '../faults.js';
import { type ApiVersion, compareVersions, formatVersion, MIN_VERSION, versionIn, ZED_MAX_VERSION } from '../microversion/version.js';
import type { ParamSchema, QuerySchema } from '../query/schema.js';
import { OPERATIONS, type Operation } from '../routes/table.js';
import { RESPONSE_BODIES } from '../views/response-bodies.js';
import { type JsonSchema, jsonSchemaOf } from './json-schema.js';

/** An OpenAPI 3.1 document as plain data (JSON-serialisable). */
export type OpenApiDocument = { readonly [field: string]: unknown };

const MEDIA_TYPES = ['application/json', 'application/vnd.openstack.compute+json'] as const;

/** What each operation is, for people reading the document (nova/api/openstack/compute/hypervisors.py). */
const SUMMARIES: Readonly<Record<Operation, string>> = {
  list: 'List hypervisors',
  detail: 'List hypervisors with details',
  statistics: 'Hypervisor statistics over all compute nodes (deprecated)',
  show: 'Show one hypervisor',
  uptime: "A hypervisor's uptime (deprecated: in the detail from 2.88)",
  search: 'Hypervisors whose hostname contains a pattern (deprecated)',
  servers: "Hypervisors whose hostname contains a pattern, with their servers (deprecated)",
  'aggregates-index': 'List host aggregates (read-only)',
  'aggregates-show': 'Show one host aggregate (read-only)',
};

/** Every status a routed GET can answer with a Nova fault body, and why (reference os-hypervisors.md §3). */
const FAULT_STATUSES: ReadonlyArray<readonly [number, string]> = [
  [400, 'Malformed microversion, a query string outside the schema, a bad id or marker'],
  [403, "The policy rule refuses the caller, or the URL's project is not the caller's"],
  [404, 'Not found (or the route does not exist at this microversion)'],
  [406, 'The requested microversion is outside the served range'],
  [415, 'A request Content-Type the API does not read'],
  [500, 'An unexpected error, or a hypervisor that did not answer in time'],
  [503, 'The storage is unavailable'],
];
/** Only the uptime routes ask a compute host something it may not support. */
const OPERATION_FAULTS: Partial<Record<Operation, ReadonlyArray<readonly [number, string]>>> = {
  uptime: [[501, "The hypervisor's driver cannot report its uptime"]],
};

/** `{"<faultName>": {"code": N, "message": "..."}}`: Nova's fault body (nova/api/openstack/wsgi.py `Fault`). */
const faultSchema = (status: number): JsonSchema => {
  const key = faultKey(status);
  return {
    type: 'object',
    properties: {
      [key]: {
        type: 'object',
        properties: { code: { const: status }, message: { type: 'string' } },
        required: ['code', 'message'],
        additionalProperties: false,
      },
    },
    required: [key],
    additionalProperties: false,
  };
};

/** keystonemiddleware's 401 body. */
const UNAUTHORIZED_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { const: 401 }, title: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'title', 'message'],
      additionalProperties: false,
    },
  },
  required: ['error'],
  additionalProperties: false,
};

const itemSchema = (param: ParamSchema): JsonSchema =>
  Object.assign({ type: 'string' }, ...param.item.map((check) => check.jsonSchema)) as JsonSchema;

/** A query schema as OpenAPI parameters; a repeatable one (2.33–2.52) is an array of values. */
const queryParameters = (query: QuerySchema | undefined): JsonSchema[] =>
  (query?.params ?? []).map(([name, param]) => ({
    name,
    in: 'query',
    required: false,
    ...(param.single
      ? { schema: itemSchema(param) }
      : { schema: { type: 'array', items: itemSchema(param) }, style: 'form', explode: true, description: 'May repeat; the last value counts.' }),
  }));

const pathParameters = (path: string): JsonSchema[] =>
  [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));

const versionHeader = (version: ApiVersion): JsonSchema => ({
  name: 'OpenStack-API-Version',
  in: 'header',
  required: false,
  description: `\`compute ${formatVersion(version)}\` selects this document's microversion (without it: 2.1). The legacy \`X-OpenStack-Nova-API-Version\` works too.`,
  schema: { type: 'string' },
});

const json = (schema: JsonSchema): JsonSchema => ({ 'application/json': { schema } });

/** The operations that exist at `version`: their route, query schema and 200 body. */
export const operationsAt = (version: ApiVersion): Array<{ operation: Operation; path: string; query?: QuerySchema; body: JsonSchema }> =>
  (Object.keys(OPERATIONS) as Operation[]).flatMap((operation) => {
    const spec = OPERATIONS[operation];
    const method = spec.methods.find((m) => versionIn(version, m.min, m.max));
    const body = RESPONSE_BODIES[operation].find((b) => versionIn(version, b.min, b.max));
    if (method === undefined || body === undefined) return [];
    return [{ operation, path: spec.path, ...(method.query === undefined ? {} : { query: method.query }), body: jsonSchemaOf(body.codec) }];
  });

/**
 * The OpenAPI 3.1 document of one microversion: only the routes and fields that exist at it, derived
 * from the route table (routes/table.ts), its query schemas (query/) and the response bodies table
 * (views/response-bodies.ts) the handler's answers are checked against, with Nova's fault bodies as the
 * error responses. Paths are relative to the API root (`/v2.1`; `/v2` and `/v2.1/{project_id}` serve the
 * same routes). Pure: the same version always gives the same document.
 */
export const buildOpenApiDocument = (version: ApiVersion, maxVersion: ApiVersion = ZED_MAX_VERSION): OpenApiDocument => {
  if (compareVersions(version, MIN_VERSION) < 0 || compareVersions(version, maxVersion) > 0) {
    throw new RangeError(`microversion ${formatVersion(version)} is outside ${formatVersion(MIN_VERSION)}–${formatVersion(maxVersion)}`);
  }
  const paths: Record<string, JsonSchema> = {};
  for (const { operation, path, query, body } of operationsAt(version)) {
    const faults = [...FAULT_STATUSES, ...(OPERATION_FAULTS[operation] ?? [])].sort(([a], [b]) => a - b);
    paths[path] = {
      get: {
        operationId: operation,
        summary: SUMMARIES[operation],
        parameters: [...pathParameters(path), ...queryParameters(query), versionHeader(version)],
        responses: {
          200: { description: 'OK', content: Object.fromEntries(MEDIA_TYPES.map((type) => [type, { schema: body }])) },
          401: { description: 'No valid credentials', content: json({ $ref: '#/components/schemas/unauthorized' }) },
          ...Object.fromEntries(faults.map(([status, why]) => [status, { description: why, content: json({ $ref: `#/components/schemas/fault${status}` }) }])),
        },
      },
    };
  }
  // 410: a route removed at this microversion, under the spec profile (its path is then not listed).
  const statuses = [...new Set([...FAULT_STATUSES, ...Object.values(OPERATION_FAULTS).flat()].map(([s]) => s)), 410].sort((a, b) => a - b);
  return {
    openapi: '3.1.0',
    info: {
      title: 'OpenStack Compute os-hypervisors',
      version: formatVersion(version),
      description: `Nova's os-hypervisors API (and read-only os-aggregates) at compute microversion ${formatVersion(version)}, generated by @os-hypervisors/core.`,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/v2.1' }],
    paths,
    components: {
      schemas: {
        unauthorized: UNAUTHORIZED_SCHEMA,
        ...Object.fromEntries(statuses.map((s) => [`fault${s}`, faultSchema(s)])),
      },
    },
  };
};

/**
 * The microversions at which a route or a field appears or goes away, ascending, starting at 2.1:
 * between two of them every document is the same (except `info.version` and the header's example).
 */
export const microversionChanges = (maxVersion: ApiVersion = ZED_MAX_VERSION): ApiVersion[] => {
  const bounds = (Object.keys(OPERATIONS) as Operation[]).flatMap((op) => [...OPERATIONS[op].methods, ...RESPONSE_BODIES[op]])
    .flatMap((range) => [range.min, ...(range.max === undefined ? [] : [{ major: range.max.major, minor: range.max.minor + 1 }])]);
  const unique = new Map(bounds.filter((v) => compareVersions(v, maxVersion) <= 0).map((v) => [formatVersion(v), v]));
  unique.set(formatVersion(MIN_VERSION), MIN_VERSION);
  return [...unique.values()].sort(compareVersions);
};
