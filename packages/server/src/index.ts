import 'reflect-metadata';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLeft } from 'fp-ts/lib/Either.js';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import {
  API_CONFIG,
  AUTHORIZER,
  CLOCK,
  CREDENTIAL_RESOLVERS,
  UPTIME_PROVIDER,
  createPolicy,
  credentialResolvers,
  type CredentialSource,
  datasetUptimeProvider,
  registerHandler,
  systemClock,
  type ApiConfig,
  type ApiVersion,
  type Clock,
  type Dataset,
  type Handler,
  type PolicyFileText,
  type Profile,
  type UptimeProvider,
} from '@os-hypervisors/core';
import { hypervisorsMiddleware as expressMiddleware } from '@os-hypervisors/express';
import { hypervisorsMiddleware as koaMiddleware } from '@os-hypervisors/koa';
import { hypervisorsPlugin } from '@os-hypervisors/fastify';
import { createFetchHandler } from '@os-hypervisors/fetch';
import { nodeListener } from '@os-hypervisors/fetch/node';
import { registerMemoryStorage } from '@os-hypervisors/storage-memory';
import type { SqlStorageOptions } from '@os-hypervisors/storage-sql';
import type { KeystoneAuthOptions } from '@os-hypervisors/keystone';
import { buildSampleDataset } from './sample-dataset.js';
import { observe, type ObservabilityOptions } from './observability.js';

export { buildSampleDataset, SAMPLE_PROJECTS } from './sample-dataset.js';
export type { ObservabilityOptions } from './observability.js';
import { DEFAULT_LIMITS, InFlightRequests, limitConnections, serverOptions } from './limits.js';
export { DEFAULT_LIMITS, type ServerLimits } from './limits.js';

export type Framework = 'express' | 'koa' | 'fastify' | 'fetch';
export const FRAMEWORKS: ReadonlyArray<Framework> = ['express', 'koa', 'fastify', 'fetch'];

export interface ServerOptions extends ObservabilityOptions {
  /**
   * Served from memory. Default: the bundled sample dataset, its heartbeats placed at start-up and the
   * clock (unless given) pinned there, so its mix of up and down hosts lasts however long the demo runs.
   */
  readonly dataset?: Dataset;
  /** Serve from a SQL database instead of `dataset` (see @os-hypervisors/storage-sql). */
  readonly db?: string;
  /** Pool size and time limits of the `db` connection (or of each Nova database's). */
  readonly dbOptions?: Omit<SqlStorageOptions, 'migrate'>;
  /**
   * Serve live from a running Nova's own databases instead (see @os-hypervisors/storage-nova): the API
   * database's SQLAlchemy URL, `[database] connection` for templated cell URLs, per-cell URL overrides.
   */
  readonly nova?: {
    readonly apiDatabase: string;
    readonly database?: string;
    readonly cellUrls?: ReadonlyMap<string, string>;
  };
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8774 (Nova's); 0 picks a free port. */
  readonly port?: number;
  readonly framework?: Framework;
  /** Serve the API under this path (`/compute`, as devstack does): links and version documents follow. */
  readonly prefix?: string;
  readonly profile?: Profile;
  readonly maxVersion?: ApiVersion;
  /** Seconds without a heartbeat before a service counts as down (Nova's `service_down_time`). */
  readonly serviceDownTime?: number;
  /** Longest wait for one host's uptime before the request fails as Nova's RPC timeout does (default 5000). */
  readonly uptimeTimeoutMs?: number;
  /** An operator's oslo.policy file (YAML or JSON text), merged over the profile's defaults. */
  readonly policyFile?: PolicyFileText;
  /** Trust `X-User-Id`/`X-Project-Id`/`X-Roles`/`OpenStack-System-Scope` set by a Keystone gateway. */
  readonly trustKeystoneHeaders?: boolean;
  /**
   * How callers authenticate: `noauth2` (default; `trusted-headers` when `trustKeystoneHeaders`), or
   * `keystone`, validating every token with Keystone as Nova's keystonemiddleware does (needs `keystone`).
   */
  readonly auth?: 'noauth2' | 'keystone' | 'trusted-headers';
  /** With `auth: 'keystone'`: where and as whom to validate tokens, the caches, and a Redis to share them. */
  readonly keystone?: KeystoneServerOptions;
  /** Project-scoped grants also see hosts in no tenant-restricted aggregate. */
  readonly showUnrestrictedHosts?: boolean;
  readonly clock?: Clock;
  readonly uptime?: UptimeProvider;
  /** Header and body sizes, timeouts, connections, shutdown grace (defaults in DEFAULT_LIMITS). */
  readonly limits?: import('./limits.js').ServerLimits;
}

export type KeystoneServerOptions = Omit<KeystoneAuthOptions, 'sharedCache' | 'now'> & {
  /** `redis://…`: token validations shared with the other replicas through this Redis. */
  readonly redisUrl?: string;
};

export interface RunningServer {
  /** The API endpoint, `http://HOST:PORT[PREFIX]/v2.1`. */
  readonly url: string;
  readonly port: number;
  /** Warnings about the policy in force (legal rules that are probably not what the operator meant). */
  readonly policyWarnings: ReadonlyArray<string>;
  /** Set when the storage starts degraded (its database down at start-up): it recovers by itself. */
  readonly storageWarning?: string;
  /** `http://HOST:PORT` serving `/metrics`, `/healthz` and `/readyz`, when `metrics` was given. */
  readonly metricsUrl?: string;
  /**
   * Stops accepting and closes idle keep-alive connections; in-flight requests finish, up to the
   * shutdown limit, after which those still running are answered 503; then closes the storage.
   * Resolves true when every in-flight request finished by itself.
   */
  shutdown(): Promise<boolean>;
  /** `shutdown()`, for callers that only wait. */
  close(): Promise<void>;
}

/** A storage registered in the container, and how to release it. */
interface RegisteredStorage {
  close(): Promise<void>;
  /** Why it starts degraded, if it does (a database down at start-up). */
  readonly warning?: string;
}

const registerStorage = async (container: DependencyContainer, options: ServerOptions, dataset: Dataset): Promise<RegisteredStorage> => {
  if (options.nova !== undefined) {
    // Loaded only when asked for, as the SQL backend is.
    const { registerNovaStorage, statsFirstUptime } = await import('@os-hypervisors/storage-nova');
    const storage = await registerNovaStorage(container, options.nova, options.dbOptions);
    // Uptime as Nova master: the node's reported stats first, then the configured provider, if any.
    container.registerInstance(UPTIME_PROVIDER, statsFirstUptime(options.uptime));
    return { close: () => storage.close() };
  }
  if (options.db !== undefined) {
    // Loaded only when asked for: the in-memory demo needs no database driver.
    const { registerSqlStorage } = await import('@os-hypervisors/storage-sql');
    const storage = await registerSqlStorage(container, options.db, options.dbOptions);
    return {
      close: () => storage.close(),
      ...(storage.migrationPending ? { warning: 'the database cannot be reached: answering 503 until it can (the schema is checked then)' } : {}),
    };
  }
  registerMemoryStorage(container, dataset);
  return { close: async () => {} };
};

/** The handler's credential resolvers for the chosen mode, and what to release on close. */
const registerAuth = async (options: ServerOptions): Promise<{ resolvers: ReadonlyArray<CredentialSource>; close(): Promise<void> }> => {
  const mode = options.auth ?? (options.trustKeystoneHeaders === true ? 'trusted-headers' : 'noauth2');
  if (mode !== 'keystone') return { resolvers: credentialResolvers({ trustKeystoneHeaders: mode === 'trusted-headers' }), close: async () => {} };
  if (options.keystone === undefined) throw new Error('--auth keystone needs the service credentials (OS_AUTH_URL, … or --os-cloud)');
  // Loaded only when asked for, as the SQL drivers are: the noauth2 demo needs neither Keystone nor Redis code.
  const { createKeystoneAuth } = await import('@os-hypervisors/keystone');
  const { redisUrl, ...keystone } = options.keystone;
  const sharedCache = redisUrl === undefined ? undefined : await (await import('@os-hypervisors/cache-redis')).redisTokenCache({ url: redisUrl });
  const auth = createKeystoneAuth({ ...keystone, ...(sharedCache === undefined ? {} : { sharedCache }) });
  return { resolvers: [auth.resolver], close: () => auth.close() };
};

/** The bundled demo is a snapshot: its clock stays at the moment its heartbeats were placed. */
const demoClock = (at: Date): Clock => () => new Date(at.getTime());

/** Everything the handler needs, in a child container so several servers can live in one process. */
const buildHandler = async (options: ServerOptions): Promise<{ handler: Handler; storage: RegisteredStorage; warnings: ReadonlyArray<string>; auth: { close(): Promise<void> }; metricsUrl?: string }> => {
  const profile = options.profile ?? 'spec';
  const policy = createPolicy({ profile, overrides: options.policyFile });
  if (isLeft(policy)) throw new Error(policy.left.map((e) => e.message).join('; '));
  const bundled = options.db === undefined && options.nova === undefined && options.dataset === undefined;
  const startedAt = (options.clock ?? systemClock)();
  const clock = options.clock ?? (bundled ? demoClock(startedAt) : systemClock);
  const dataset = options.dataset ?? buildSampleDataset(startedAt);
  const config: Partial<ApiConfig> = {
    profile,
    ...(options.maxVersion !== undefined ? { maxVersion: options.maxVersion } : {}),
    ...(options.serviceDownTime !== undefined ? { serviceDownTime: options.serviceDownTime } : {}),
    ...(options.uptimeTimeoutMs !== undefined ? { uptimeTimeoutMs: options.uptimeTimeoutMs } : {}),
    ...(options.showUnrestrictedHosts !== undefined ? { showUnrestrictedHosts: options.showUnrestrictedHosts } : {}),
    ...(options.limits?.maxBodySize !== undefined ? { maxBodySize: options.limits.maxBodySize } : {}),
  };
  const container = rootContainer.createChildContainer();
  container.registerInstance(UPTIME_PROVIDER, options.uptime ?? datasetUptimeProvider);
  const auth = await registerAuth(options);
  const storage = await registerStorage(container, options, dataset).catch(async (e: unknown) => {
    await auth.close();
    throw e;
  });
  container.registerInstance(CLOCK, clock);
  container.registerInstance(API_CONFIG, config);
  container.registerInstance(AUTHORIZER, policy.right);
  container.registerInstance(CREDENTIAL_RESOLVERS, auth.resolvers);
  const warnings = policy.right.warnings.map((w) => w.message);
  let observed;
  try {
    observed = await observe(container, { ...options, profile }, () => registerHandler(container));
  } catch (e) {
    await storage.close();
    await auth.close();
    throw e;
  }
  return {
    handler: observed.handler,
    storage: { ...storage, close: () => observed.close().then(() => storage.close()) },
    auth,
    warnings,
    ...(observed.metricsUrl === undefined ? {} : { metricsUrl: observed.metricsUrl }),
  };
};

/**
 * The framework app serving the handler at every path under `prefix` (the core answers 404s and version
 * documents itself); outside it the framework's own 404. Express and Koa read at most `maxBodySize` + one
 * chunk of a body (the core's 413); the others leave it to the core's `Content-Length` check.
 */
export const frameworkListener = (framework: Framework, handler: Handler, prefix = '', adapterOptions: { readonly maxBodySize?: number } = {}): RequestListener => {
  if (framework === 'koa') return new Koa().use(koaMiddleware(handler, { mountPath: prefix, ...adapterOptions })).callback();
  if (framework === 'fetch') return nodeListener(createFetchHandler(handler, { mountPath: prefix }));
  if (framework === 'fastify') {
    const app = Fastify().register(hypervisorsPlugin, { handler, ...(prefix === '' ? {} : { prefix }) });
    const ready = app.ready();
    // Fastify's own request listener (its router), once its plugins are loaded.
    return (req, res) => void ready.then(() => app.routing(req, res), () => res.writeHead(500).end());
  }
  // No X-Powered-By: Nova sends no such header, and the header list is part of the API.
  return express().disable('x-powered-by').use(expressMiddleware(handler, { mountPath: prefix, ...adapterOptions }));
};

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** Builds the storage, policy and handler, and listens. Resolves once the port is bound. */
export const startServer = async (options: ServerOptions = {}): Promise<RunningServer> => {
  const { handler, storage, warnings, auth, metricsUrl } = await buildHandler(options);
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const inFlight = new InFlightRequests(handler);
  const server = createServer(
    serverOptions(limits),
    frameworkListener(options.framework ?? 'express', inFlight.handler, prefix, { maxBodySize: limits.maxBodySize }),
  );
  limitConnections(server, limits.maxConnections);
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 8774, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await storage.close();
    await auth.close();
    throw e;
  }
  const { port } = server.address() as AddressInfo;
  let closing: Promise<boolean> | undefined;
  const shutdown = (): Promise<boolean> => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const finished = await inFlight.drain(limits.shutdownTimeoutMs);
      // The last answers (and any 503s) are being written; their connections close once idle.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const hardStop = setTimeout(() => server.closeAllConnections(), 2_000);
      await closed;
      clearInterval(sweep);
      clearTimeout(hardStop);
      await storage.close();
      await auth.close();
      return finished;
    })();
    return closing;
  };
  return {
    url: `http://${urlHost(host)}:${port}${prefix}/v2.1`,
    port,
    policyWarnings: warnings,
    ...(metricsUrl === undefined ? {} : { metricsUrl }),
    ...(storage.warning === undefined ? {} : { storageWarning: storage.warning }),
    shutdown,
    close: () => shutdown().then(() => undefined),
  };
};
