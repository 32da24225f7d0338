import 'reflect-metadata';
import { isLeft } from 'fp-ts/lib/Either.js';
import { type DependencyContainer } from 'tsyringe';
import { CLOCK, type Clock, systemClock } from './clock.js';
import { type ApiConfig, DEFAULT_CONFIG } from './config.js';
import { type CredentialOutcome, type CredentialSource, type Credentials, isAuthRejection, type RequestHeaders } from './credentials.js';
import { faults, type Fault } from './faults.js';
import type { CoreRequest, CoreResponse, Handler } from './http.js';
import { headerValue } from './microversion/headers.js';
import { negotiateMicroversion, type NegotiationFailure, versionHeaders } from './microversion/negotiate.js';
import { type ApiVersion, compareVersions, formatVersion, MIN_VERSION, versionIn } from './microversion/version.js';
import { ALL_VISIBLE, type Visibility } from './model/visibility.js';
import { listAggregates, showAggregate } from './operations/aggregates.js';
import type { OperationContext, OperationResult } from './operations/context.js';
import { hypervisorStatistics, hypervisorUptime, listHypervisors, searchHypervisors, showHypervisor } from './operations/hypervisors.js';
import { type Authorizer, hypervisorRuleName, type PolicyRuleName } from './policy/decision.js';
import { parseQuery } from './query/parse.js';
import { validateQuery } from './query/schema.js';
import { type HeaderList, faultResponse, jsonResponse, keystoneUnavailableResponse, unauthorizedResponse, webobBodyTooLarge, webobNotFound } from './responses.js';
import { dispatch } from './routes/urlmap.js';
import { matchOperation, type Operation, OPERATIONS, ROUTE_TEMPLATES, type VersionedMethod } from './routes/table.js';
import { REQUEST_OBSERVER, type RequestObservation, type RequestObserver } from './observation.js';
import { HYPERVISOR_STORAGE, type HypervisorStorage } from './storage.js';
import { API_CONFIG, AUTHORIZER, CREDENTIAL_RESOLVERS } from './tokens.js';
import { datasetUptimeProvider, UPTIME_PROVIDER, type UptimeProvider } from './uptime.js';
import { applyLinkPrefix } from './views/links.js';
import { buildChoices, buildVersionDocument, buildVersionList } from './views/version-documents.js';
import { pyDumps } from './json/py-dumps.js';
import { pyLoads } from './json/py-loads.js';

export interface HandlerDeps {
  readonly storage: HypervisorStorage;
  readonly authorizer: Authorizer;
  readonly uptime?: UptimeProvider;
  readonly clock?: Clock;
  readonly config?: Partial<ApiConfig>;
  /**
   * Tried in order; when none yields credentials the request is unauthenticated (401). A resolver may
   * also refuse the request outright (Keystone's 401 or 503) or answer with a promise (see `CredentialSource`).
   */
  readonly credentialResolvers: ReadonlyArray<CredentialSource>;
  /** Request ids for `x-openstack-request-id`; injected so the core holds no randomness of its own. */
  readonly requestId?: () => string;
  /** Told about every request once answered (metrics, logs, traces plug in here); absent, nothing is measured. */
  readonly observer?: RequestObserver;
}

/** What `handle` learns on its way, for the observer: filled in as the request gets further. */
interface Trail {
  route: string;
  api: RequestObservation['api'];
  microversion: ApiVersion | null;
  rule: PolicyRuleName | null;
  grant: RequestObservation['grant'];
  credentials: Credentials | null;
  error: string | null;
}

const AGGREGATE_RULES: Partial<Record<Operation, PolicyRuleName>> = {
  'aggregates-index': 'os_compute_api:os-aggregates:index',
  'aggregates-show': 'os_compute_api:os-aggregates:show',
};

const RUNNERS: Record<Operation, (ctx: OperationContext) => Promise<OperationResult>> = {
  list: (ctx) => listHypervisors(ctx, false),
  detail: (ctx) => listHypervisors(ctx, true),
  show: showHypervisor,
  uptime: hypervisorUptime,
  search: (ctx) => searchHypervisors(ctx, false),
  servers: (ctx) => searchHypervisors(ctx, true),
  statistics: hypervisorStatistics,
  'aggregates-index': listAggregates,
  'aggregates-show': showAggregate,
};

const REQUEST_CONTENT_TYPES = new Set(['application/json', 'application/vnd.openstack.compute+json']);

/**
 * Every Nova resource (the version documents included) refuses a request body type it does not read
 * (wsgi.py `Request.get_content_type`): webob's type is the header up to `;`, neither trimmed nor
 * lower-cased; empty and `text/plain` (what some servers default to) mean no body type.
 */
const unsupportedContentType = (headers: CoreRequest['headers']): boolean => {
  const value = headerValue(headers, 'content-type');
  if (value === undefined) return false;
  const media = value.split(';', 1)[0]!;
  return media !== '' && media !== 'text/plain' && !REQUEST_CONTENT_TYPES.has(media);
};

/** webob's `Request.content_length`: the header through Python's `int()`, null where that raises. */
const contentLength = (headers: CoreRequest['headers']): number | null => {
  const m = /^[ \t\n\r\f\v]*([-+]?[0-9](?:_?[0-9])*)[ \t\n\r\f\v]*$/.exec(headerValue(headers, 'content-length') ?? '');
  return m === null ? null : Number(m[1]!.replace(/_/g, ''));
};

const METHODS_WITH_BODY = new Set(['POST', 'PUT']);

/**
 * A version document's wsgi.Resource deserializes the body of a POST or PUT that declares a length
 * (`_get_request_content`): one that is not JSON (nor UTF-8) is "Malformed request body".
 */
const malformedBody = (req: CoreRequest): boolean => {
  if (!METHODS_WITH_BODY.has(req.method) || req.body === undefined) return false;
  const declared = contentLength(req.headers);
  if (declared === null || declared === 0) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(req.body);
  } catch {
    return true;
  }
  return isLeft(pyLoads(text));
};
const isPromiseLike = (value: CredentialOutcome | PromiseLike<CredentialOutcome>): value is PromiseLike<CredentialOutcome> =>
  value !== null && typeof (value as { then?: unknown }).then === 'function';

const UNAVAILABLE: CredentialOutcome = { rejected: 'unavailable' };

const defaultRequestId = (): string => `req-${globalThis.crypto.randomUUID()}`;

/**
 * The one framework-agnostic entry: request (+ optional credentials) in, response out. It follows Nova's
 * processing order (reference os-hypervisors.md §3): auth, routing, version negotiation (400/406),
 * content type (415), URL project check, the route's version range (404), query schema (400), policy
 * (403), then the operation. Unexpected errors become a 500 fault, never a stack trace.
 */
export const createHandler = (deps: HandlerDeps): Handler => {
  const config: ApiConfig = { ...DEFAULT_CONFIG, ...deps.config };
  const clock = deps.clock ?? systemClock;
  const uptime = deps.uptime ?? datasetUptimeProvider;
  const resolvers = deps.credentialResolvers;
  const requestId = deps.requestId ?? defaultRequestId;

  /**
   * The chain, synchronous for as long as its resolvers are: a promise appears only once a resolver
   * returns one, so the noauth2 and trusted-header paths cost no microtask.
   */
  const resolveFrom = (headers: RequestHeaders, start: number): CredentialOutcome | Promise<CredentialOutcome> => {
    for (let i = start; i < resolvers.length; i++) {
      const outcome = resolvers[i]!(headers);
      if (isPromiseLike(outcome)) {
        // A resolver that fails instead of answering is treated as its service being down: a 503, never
        // a 500 and never a request let through.
        return Promise.resolve(outcome).then((o) => (o !== null ? o : resolveFrom(headers, i + 1)), () => UNAVAILABLE);
      }
      if (outcome !== null) return outcome;
    }
    return null;
  };

  const handle = async (req: CoreRequest, given: Credentials | undefined, extra: HeaderList, trail: Trail): Promise<CoreResponse> => {
    const accept = headerValue(req.headers, 'accept');
    const host = headerValue(req.headers, 'host') ?? 'localhost';
    // webob's `host_url` + `SCRIPT_NAME`: behind a mount (`/compute`) every link stays under it.
    const scriptName = (req.scriptName ?? '').replace(/\/+$/, '');
    const rootUrl = `${req.scheme ?? 'http'}://${host}${scriptName}`;
    const hostUrl = applyLinkPrefix(rootUrl, config.linkPrefix);
    const { landing, mediaType } = dispatch(req.path, req.headers);
    trail.route = landing.kind === 'version-doc' ? 'version-document' : landing.kind;
    if (landing.kind !== 'versions' && landing.kind !== 'choices') trail.api = landing.api;
    const json = (status: number, body: Parameters<typeof pyDumps>[0], vh: HeaderList = []) =>
      jsonResponse(status, body, mediaType, vh, extra);
    // 400 for a malformed version carries no version headers; 406 echoes the rejected version.
    const negotiationFault = ({ fault, echo }: NegotiationFailure) => faultResponse(fault, echo === null ? [] : versionHeaders(echo), extra);

    // The root application has no request-id middleware, and its version list answers any method.
    if ((landing.kind === 'versions' || landing.kind === 'choices') && unsupportedContentType(req.headers)) return faultResponse(faults.unsupportedMediaType(), [], []);
    if ((landing.kind === 'versions' || landing.kind === 'choices') && malformedBody(req)) return faultResponse(faults.malformedBody(), [], []);
    if (landing.kind === 'versions') return jsonResponse(200, buildVersionList(hostUrl, config.maxVersion), mediaType, [], []);
    if (landing.kind === 'choices') return jsonResponse(300, buildChoices(hostUrl, `${scriptName}${landing.rest}`), mediaType, [], []);
    const legacy = landing.api === 'v2';

    // `GET /v2.1` is served before authentication and negotiates like any resource.
    if (landing.kind === 'version-doc' && !landing.authenticated) {
      let docHeaders: HeaderList = [];
      if (!legacy) {
        const negotiated = negotiateMicroversion(req.headers, config.maxVersion);
        if (isLeft(negotiated)) return negotiationFault(negotiated.left);
        trail.microversion = negotiated.right;
        docHeaders = versionHeaders(formatVersion(negotiated.right));
      }
      if (unsupportedContentType(req.headers)) return faultResponse(faults.unsupportedMediaType(), docHeaders, extra);
      if (malformedBody(req)) return faultResponse(faults.malformedBody(), docHeaders, extra);
      return json(200, buildVersionDocument(hostUrl, landing.api, config.maxVersion), docHeaders);
    }

    // oslo.middleware's size limit sits in the API pipelines (`/v2.1/…`, `/v2/…`), before authentication.
    const declaredLength = contentLength(req.headers);
    if ((declaredLength !== null && declaredLength > config.maxBodySize) || (req.body !== undefined && req.body.length > config.maxBodySize)) {
      return webobBodyTooLarge(config.maxBodySize, accept, req.method, extra);
    }

    const resolved = given ?? resolveFrom(req.headers, 0);
    const credentials = resolved instanceof Promise ? await resolved : resolved;
    if (credentials === null) return unauthorizedResponse(extra);
    if (isAuthRejection(credentials)) {
      return credentials.rejected === 'unavailable'
        ? keystoneUnavailableResponse(accept, req.method, extra)
        : unauthorizedResponse(extra, credentials.wwwAuthenticateUri);
    }
    trail.credentials = credentials;
    if (landing.kind === 'unrouted') return webobNotFound(accept, req.method, extra);

    // The router runs before the resource negotiates a version: an unrouted path is a plain 404 whatever
    // the version headers say.
    const route = landing.kind === 'api' ? matchOperation(req.method, landing.segments) : null;
    trail.route = route !== null ? ROUTE_TEMPLATES[route.operation] : landing.kind === 'api' ? 'unrouted' : trail.route;
    if (landing.kind === 'api' && route === null) return webobNotFound(accept, req.method, extra);
    if (landing.kind === 'version-doc' && req.method !== 'GET') return webobNotFound(accept, req.method, extra);

    // The legacy v2 wrapper drops the request's version headers and the response's.
    let version: ApiVersion = MIN_VERSION;
    if (!legacy) {
      const negotiated = negotiateMicroversion(req.headers, config.maxVersion);
      if (isLeft(negotiated)) return negotiationFault(negotiated.left);
      version = negotiated.right;
      trail.microversion = version;
    }
    const vh: HeaderList = legacy ? [] : versionHeaders(formatVersion(version));
    const failWith = (fault: Fault) => faultResponse(fault, vh, extra);

    if (unsupportedContentType(req.headers)) return failWith(faults.unsupportedMediaType());
    const projectId = landing.kind === 'api' || landing.kind === 'version-doc' ? landing.projectId : null;
    if (projectId !== null && projectId !== credentials.projectId) return failWith(faults.projectMismatch(projectId, credentials.projectId));
    if (landing.kind === 'version-doc' || route === null) return json(200, buildVersionDocument(hostUrl, landing.api, config.maxVersion), vh);

    const spec = OPERATIONS[route.operation];
    const method: VersionedMethod | undefined = spec.methods.find((m) => versionIn(version, m.min, m.max));
    if (method === undefined) {
      const gone = config.profile === 'spec' && spec.removedAt !== undefined && (route.operation === 'statistics' || route.operation === 'uptime') && compareVersions(version, spec.removedAt) >= 0;
      return failWith(gone ? faults.gone() : faults.notFound());
    }

    let query = parseQuery(req.query);
    if (method.query !== undefined) {
      if (isLeft(query)) return failWith({ status: 400, message: 'Query string is not UTF-8 encoded' });
      const validated = validateQuery(method.query, query.right);
      if (isLeft(validated)) return failWith(validated.left);
      query = validated;
    }

    const rule = spec.rule !== undefined ? hypervisorRuleName(spec.rule) : AGGREGATE_RULES[route.operation]!;
    const decision = deps.authorizer.authorize(rule, credentials);
    trail.rule = rule;
    trail.grant = decision.allowed ? decision.grant.kind : 'denied';
    if (!decision.allowed) return failWith(faults.forbiddenByPolicy(rule));
    const visibility: Visibility = decision.grant.kind === 'system'
      ? ALL_VISIBLE
      : { kind: 'project', projectId: decision.grant.projectId, includeUnrestricted: config.showUnrestrictedHosts };

    const ctx: OperationContext = {
      version,
      query: isLeft(query) ? [] : query.right,
      param: route.param,
      visibility,
      now: clock(),
      config,
      storage: deps.storage,
      uptime,
      links: {
        applicationUrl: `${rootUrl}/${landing.api}`,
        requestUrl: `${rootUrl}${req.path}${req.query === '' ? '' : `?${req.query}`}`,
        projectId: credentials.projectId,
        linkPrefix: config.linkPrefix,
      },
    };
    const result = await RUNNERS[route.operation](ctx);
    return isLeft(result) ? failWith(result.left) : json(200, result.right, vh);
  };

  const answer = async (req: CoreRequest, credentials: Credentials | undefined, trail: Trail): Promise<CoreResponse> => {
    const extra: HeaderList = [];
    try {
      const id = requestId();
      extra.push(['x-openstack-request-id', id], ['x-compute-request-id', id]);
      const response = await handle(req, credentials, extra, trail);
      // oslo.middleware's CORS filter, first in Nova's pipelines, turns a failed OPTIONS into a bare 200.
      if (req.method === 'OPTIONS' && (response.status < 200 || response.status > 299)) return { status: 200, headers: [], body: '' };
      return response;
    } catch (e) {
      // A bug, not a client error: answer as Nova does for an unexpected exception, without internals.
      const name = e instanceof Error ? e.constructor.name : 'Exception';
      trail.error = name;
      return faultResponse(faults.unexpected(name), [], extra);
    }
  };

  const observer = deps.observer;
  const newTrail = (): Trail =>
    ({ route: 'versions', api: null, microversion: null, rule: null, grant: null, credentials: null, error: null });
  if (observer === undefined) return (req, credentials) => answer(req, credentials, newTrail());

  return async (req, credentials) => {
    const started = observer.now();
    const trail = newTrail();
    const response = await answer(req, credentials, trail);
    const id = response.headers.find(([name]) => name === 'x-openstack-request-id');
    observer.observe({
      method: req.method,
      route: trail.route,
      api: trail.api,
      microversion: trail.microversion,
      status: response.status,
      rule: trail.rule,
      grant: trail.grant,
      durationMs: observer.now() - started,
      requestId: id === undefined ? null : id[1],
      userId: trail.credentials?.userId ?? null,
      projectId: trail.credentials?.projectId ?? null,
      error: trail.error,
    });
    return response;
  };
};

/** Resolves the handler's inputs from a tsyringe container (tokens in storage.ts, uptime.ts, clock.ts, tokens.ts). */
export const registerHandler = (container: DependencyContainer): Handler =>
  createHandler({
    storage: container.resolve(HYPERVISOR_STORAGE),
    authorizer: container.resolve(AUTHORIZER),
    uptime: container.isRegistered(UPTIME_PROVIDER, true) ? container.resolve(UPTIME_PROVIDER) : undefined,
    clock: container.isRegistered(CLOCK, true) ? container.resolve(CLOCK) : undefined,
    config: container.isRegistered(API_CONFIG, true) ? container.resolve(API_CONFIG) : undefined,
    credentialResolvers: container.resolve(CREDENTIAL_RESOLVERS),
    observer: container.isRegistered(REQUEST_OBSERVER, true) ? container.resolve(REQUEST_OBSERVER) : undefined,
  });
