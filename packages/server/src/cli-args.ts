import { parseArgs } from 'node:util';
import { bind, Do, type Either, isLeft, left, map, right } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { compareVersions, formatVersion, ZED_MAX_VERSION, type ApiVersion, type Profile } from '@os-hypervisors/core';
import { FRAMEWORKS, type Framework, type ServerLimits } from './index.js';

export const USAGE = `Usage: os-hypervisors-server [options]
       os-hypervisors-server import --data FILE --db URL
       os-hypervisors-server openapi --microversion X.Y | --reference

Serves OpenStack Nova's os-hypervisors API (compute microversions 2.1 to 2.93).

Options:
  --data FILE                  Nova-shaped dataset JSON (default: the bundled sample dataset)
  --db URL                     serve from a SQL database instead (see @os-hypervisors/storage-sql)
  --nova-conf FILE             serve live from a running Nova's own databases, found as Nova finds
                               them: [api_database] connection in this nova.conf (repeatable, later
                               files override), then every cell in cell_mappings
  --nova-api-db URL            the same from the API database's SQLAlchemy URL
                               (mysql+pymysql://user:pw@host/nova_api, postgresql://…, sqlite:////path)
  --nova-cell-db NAME=URL      a cell's database URL as seen from here (cell name or uuid; repeatable)
  --host HOST                  address to bind (default 127.0.0.1)
  --port PORT                  port to bind (default 8774; 0 picks a free one)
  --framework NAME             express, koa, fastify or fetch (default express)
  --prefix PATH                serve the API under PATH, e.g. /compute as devstack does
                               (then http://HOST:PORT/compute/v2.1; links follow)
  --profile spec|nova          policy defaults and removed-route status (default spec)
  --max-version X.Y            highest microversion served (default 2.93)
  --service-down-time SECONDS  heartbeat age after which a service is down (default 60)
  --uptime-timeout SECONDS     longest wait for one host's uptime (default 5)
  --db-pool-size N             most open database connections per database (default 10)
  --db-acquire-timeout SECONDS longest wait for a database connection (default 3): then 503
  --db-query-timeout SECONDS   longest one statement may run (default 5): then 500
  --policy-file FILE           oslo.policy rule overrides (YAML or JSON)
  --auth noauth2|keystone|trusted-headers
                               how callers authenticate (default noauth2, the dev token below):
                               keystone validates X-Auth-Token with Keystone as Nova does;
                               trusted-headers reads X-User-Id, X-Project-Id, X-Roles and
                               OpenStack-System-Scope set by a Keystone gateway in front
  --trust-keystone-headers     the same as --auth trusted-headers
  --os-cloud NAME              with --auth keystone: the service's credentials from this clouds.yaml
                               entry (default: the OS_* environment variables, as openrc sets them)
  --os-cacert FILE             CA bundle for Keystone's TLS certificate (default: OS_CACERT, the cloud's)
  --keystone-timeout SECONDS   longest wait for one Keystone call (default 10): then 503
  --token-cache-size N         tokens whose validation is kept in memory (default 10000)
  --token-cache-time SECONDS   longest a validated token is trusted without asking again (default 300)
  --redis-url URL              share token validations between replicas through Redis
  --www-authenticate-uri URI   Keystone endpoint named in 401 answers (default: the auth URL)
  --service-token-roles-required
                               refuse an X-Service-Token without the service role (as
                               keystonemiddleware's service_token_roles_required)
  --show-unrestricted-hosts    project admins also see hosts in no tenant-restricted aggregate
  --metrics-port PORT          serve /metrics (Prometheus), /healthz and /readyz on this port, apart
                               from the API's (default: not served; 0 picks a free one)
  --metrics-host HOST          address of that listener (default 127.0.0.1)
  --metrics-path PATH          path of the Prometheus metrics (default /metrics)
  --log-format json|pretty|auto  JSON lines, or a human format; auto: pretty on a terminal (default auto)
  --log-level LEVEL            fatal, error, warn, info (one line per request; default), debug, silent
  --max-header-size BYTES      largest request head (default 16384): then 431
  --max-body-size BYTES        largest request body to the API (default 114688, Nova's): then 413
  --headers-timeout SECONDS    longest wait for a request's headers (default 60): then 408
  --request-timeout SECONDS    longest wait for a whole request (default 300): then 408
  --keep-alive-timeout SECONDS idle keep-alive connections close after this (default 5)
  --max-connections N          most open connections (default 1000): one more gets 503
  --shutdown-timeout SECONDS   on SIGTERM/SIGINT, longest wait for in-flight requests (default 10):
                               those still running then get 503; the process exits 0
  -h, --help                   show this help

Commands:
  import --data FILE --db URL  load a dataset file into a SQL database, then exit
  openapi --microversion X.Y   print the OpenAPI 3.1 document of one microversion (JSON)
  openapi --reference          print the API reference (docs/api.md, Markdown)

Development authentication: send X-Auth-Token: <user>:<project>; user "admin" is an administrator.
Traces: set the standard OpenTelemetry variables, e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318
(OTEL_TRACES_EXPORTER=otlp|console, OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER, ...); none are sent otherwise.
`;

export interface ServeCommand {
  readonly kind: 'serve';
  readonly dataFile?: string;
  readonly db?: string;
  /** `--nova-conf` files, in order. */
  readonly novaConf?: ReadonlyArray<string>;
  readonly novaApiDb?: string;
  /** `--nova-cell-db NAME=URL`, in order. */
  readonly novaCellDbs?: ReadonlyArray<string>;
  readonly host: string;
  readonly port: number;
  readonly framework: Framework;
  readonly prefix?: string;
  readonly profile: Profile;
  readonly maxVersion?: ApiVersion;
  readonly serviceDownTime?: number;
  readonly uptimeTimeout?: number;
  readonly dbPoolSize?: number;
  readonly dbAcquireTimeout?: number;
  readonly dbQueryTimeout?: number;
  readonly policyFile?: string;
  readonly trustKeystoneHeaders: boolean;
  readonly showUnrestrictedHosts: boolean;
  readonly metricsPort?: number;
  readonly metricsHost: string;
  readonly metricsPath: string;
  readonly logFormat: LogFormat;
  readonly logLevel: LogLevel;
  /** Server limits in bytes, counts and milliseconds (unset: the server's defaults). */
  readonly limits: ServerLimits;
  /** Absent: noauth2 (or trusted headers, as `trustKeystoneHeaders` says). */
  readonly auth?: AuthMode;
  readonly keystone?: KeystoneFlags;
}

export type AuthMode = 'noauth2' | 'keystone' | 'trusted-headers';
const AUTH_MODES: ReadonlyArray<AuthMode> = ['noauth2', 'keystone', 'trusted-headers'];

/** The `--auth keystone` settings given on the command line (credentials come from OS_* or clouds.yaml). */
export interface KeystoneFlags {
  readonly cloud?: string;
  readonly cacert?: string;
  readonly timeout?: number;
  readonly tokenCacheSize?: number;
  readonly tokenCacheTime?: number;
  readonly redisUrl?: string;
  readonly wwwAuthenticateUri?: string;
  readonly serviceTokenRolesRequired?: boolean;
}

export type LogFormat = 'json' | 'pretty' | 'auto';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_FORMATS: ReadonlyArray<LogFormat> = ['json', 'pretty', 'auto'];
const LOG_LEVELS: ReadonlyArray<LogLevel> = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export type CliCommand =
  | { readonly kind: 'help' }
  | ServeCommand
  | { readonly kind: 'import'; readonly dataFile: string; readonly db: string }
  | { readonly kind: 'openapi'; readonly microversion: ApiVersion }
  | { readonly kind: 'reference' };

const SERVE_OPTIONS = {
  data: { type: 'string' },
  db: { type: 'string' },
  'nova-conf': { type: 'string', multiple: true },
  'nova-api-db': { type: 'string' },
  'nova-cell-db': { type: 'string', multiple: true },
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '8774' },
  framework: { type: 'string', default: 'express' },
  prefix: { type: 'string' },
  profile: { type: 'string', default: 'spec' },
  'max-version': { type: 'string' },
  'service-down-time': { type: 'string' },
  'uptime-timeout': { type: 'string' },
  'db-pool-size': { type: 'string' },
  'db-acquire-timeout': { type: 'string' },
  'db-query-timeout': { type: 'string' },
  'policy-file': { type: 'string' },
  'trust-keystone-headers': { type: 'boolean', default: false },
  auth: { type: 'string' },
  'os-cloud': { type: 'string' },
  'os-cacert': { type: 'string' },
  'keystone-timeout': { type: 'string' },
  'token-cache-size': { type: 'string' },
  'token-cache-time': { type: 'string' },
  'redis-url': { type: 'string' },
  'www-authenticate-uri': { type: 'string' },
  'service-token-roles-required': { type: 'boolean' },
  'show-unrestricted-hosts': { type: 'boolean', default: false },
  'metrics-port': { type: 'string' },
  'metrics-host': { type: 'string', default: '127.0.0.1' },
  'metrics-path': { type: 'string', default: '/metrics' },
  'log-format': { type: 'string', default: 'auto' },
  'log-level': { type: 'string', default: 'info' },
  'max-header-size': { type: 'string' },
  'max-body-size': { type: 'string' },
  'headers-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  'keep-alive-timeout': { type: 'string' },
  'max-connections': { type: 'string' },
  'shutdown-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const IMPORT_OPTIONS = {
  data: { type: 'string' },
  db: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const OPENAPI_OPTIONS = {
  microversion: { type: 'string' },
  reference: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const PROFILES: ReadonlyArray<Profile> = ['spec', 'nova'];

const oneOf = <T extends string>(flag: string, value: string, allowed: ReadonlyArray<T>): Either<string, T> =>
  (allowed as ReadonlyArray<string>).includes(value) ? right(value as T) : left(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`);

const parsePort = (value: string, flag = 'port'): Either<string, number> =>
  /^\d{1,5}$/.test(value) && Number(value) <= 65535 ? right(Number(value)) : left(`--${flag} must be an integer from 0 to 65535 (got "${value}")`);

/** Its own path, not one of the health endpoints beside it. */
const parseMetricsPath = (value: string): Either<string, string> =>
  /^\/[A-Za-z0-9._~/-]*$/.test(value) && value !== '/healthz' && value !== '/readyz'
    ? right(value) : left(`--metrics-path must be a path such as /metrics, other than /healthz and /readyz (got "${value}")`);

/** Nova's own format (api_version_request.py): MajorNum.MinorNum, no leading zeros; at least 2.1. */
const parseMaxVersion = (value: string): Either<string, ApiVersion> => {
  const m = /^([1-9]\d*)\.([1-9]\d*|0)$/.exec(value);
  if (m === null) return left(`--max-version must look like 2.93 (got "${value}")`);
  const version = { major: Number(m[1]), minor: Number(m[2]) };
  return version.major === 2 && version.minor >= 1 ? right(version) : left(`--max-version must be a 2.x microversion of at least 2.1 (got "${value}")`);
};

/** A URL path below which the API is mounted: `/` then segments of URL path characters; a final `/` is dropped. */
const parsePrefix = (value: string): Either<string, string> =>
  value.startsWith('/') && /^(\/[A-Za-z0-9\-._~!$&'()*+,;=:@%]+)*\/?$/.test(value) && !/%(?![0-9A-Fa-f]{2})/.test(value)
    ? right(value.replace(/\/+$/, ''))
    : left(`--prefix must be a URL path such as /compute (got "${value}")`);

const parseSeconds = (flag: string) => (value: string): Either<string, number> =>
  /^\d+$/.test(value) && Number(value) > 0 ? right(Number(value)) : left(`--${flag} must be a positive number of seconds (got "${value}")`);

/** Fractions allowed (0.5 s); at most an hour, so a typo cannot disable a bound. */
const parseDuration = (flag: string) => (value: string): Either<string, number> =>
  /^\d+(\.\d+)?$/.test(value) && Number(value) > 0 && Number(value) <= 3600 ? right(Number(value)) : left(`--${flag} must be a number of seconds above 0, at most 3600 (got "${value}")`);

const parseCount = (flag: string) => (value: string): Either<string, number> =>
  /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 1000 ? right(Number(value)) : left(`--${flag} must be an integer from 1 to 1000 (got "${value}")`);

const parseBytes = (flag: string, min: number, max: number) => (value: string): Either<string, number> =>
  /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max ? right(Number(value)) : left(`--${flag} must be a number of bytes from ${min} to ${max} (got "${value}")`);

const parseConnections = (value: string): Either<string, number> =>
  /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 1_000_000 ? right(Number(value)) : left(`--max-connections must be an integer from 1 to 1000000 (got "${value}")`);

const millis = (parse: (v: string) => Either<string, number>) => (value: string): Either<string, number> => pipe(parse(value), map((s) => Math.round(s * 1000)));

/** The server limits; each flag given sets one field. */
const parseLimits = (values: Readonly<Record<string, string | ReadonlyArray<string> | boolean | undefined>>): Either<string, ServerLimits> => {
  const flag = (name: string) => values[name] as string | undefined;
  return pipe(
    Do,
    bind('maxHeaderSize', () => optional(flag('max-header-size'), parseBytes('max-header-size', 1024, 1_048_576))),
    bind('maxBodySize', () => optional(flag('max-body-size'), parseBytes('max-body-size', 0, 1_073_741_824))),
    bind('headersTimeoutMs', () => optional(flag('headers-timeout'), millis(parseDuration('headers-timeout')))),
    bind('requestTimeoutMs', () => optional(flag('request-timeout'), millis(parseDuration('request-timeout')))),
    bind('keepAliveTimeoutMs', () => optional(flag('keep-alive-timeout'), millis(parseDuration('keep-alive-timeout')))),
    bind('maxConnections', () => optional(flag('max-connections'), parseConnections)),
    bind('shutdownTimeoutMs', () => optional(flag('shutdown-timeout'), millis(parseDuration('shutdown-timeout')))),
    map((limits) => Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as ServerLimits),
  );
};

const parseCacheSize = (value: string): Either<string, number> =>
  /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 10_000_000 ? right(Number(value)) : left(`--token-cache-size must be an integer from 1 to 10000000 (got "${value}")`);

const parseUrl = (flag: string, schemes: ReadonlyArray<string>) => (value: string): Either<string, string> => {
  try {
    const url = new URL(value);
    if (schemes.includes(url.protocol)) return right(value);
  } catch {
    // reported below
  }
  return left(`--${flag} must be a ${schemes.map((s) => s.slice(0, -1)).join(' or ')} URL (got "${value}")`);
};

const KEYSTONE_FLAGS = ['os-cloud', 'os-cacert', 'keystone-timeout', 'token-cache-size', 'token-cache-time', 'redis-url', 'www-authenticate-uri', 'service-token-roles-required'] as const;

const optional = <T>(value: string | undefined, parse: (v: string) => Either<string, T>): Either<string, T | undefined> =>
  value === undefined ? right(undefined) : parse(value);

const dropUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Turns argv (without node and the script) into a command, or a message for the usage error. */
export const parseCommandLine = (argv: ReadonlyArray<string>): Either<string, CliCommand> => {
  try {
    if (argv[0] === 'import') {
      const { values } = parseArgs({ args: argv.slice(1), options: IMPORT_OPTIONS, strict: true, allowPositionals: false });
      if (values.help) return right({ kind: 'help' });
      if (values.data === undefined || values.db === undefined) return left('import needs both --data FILE and --db URL');
      return right({ kind: 'import', dataFile: values.data, db: values.db });
    }
    if (argv[0] === 'openapi') {
      const { values } = parseArgs({ args: argv.slice(1), options: OPENAPI_OPTIONS, strict: true, allowPositionals: false });
      if (values.help) return right({ kind: 'help' });
      if (values.reference) return values.microversion === undefined ? right({ kind: 'reference' }) : left('openapi takes --microversion X.Y or --reference, not both');
      if (values.microversion === undefined) return left('openapi needs --microversion X.Y (or --reference)');
      const version = parseMaxVersion(values.microversion);
      if (isLeft(version)) return left(version.left.replace('--max-version', '--microversion'));
      if (compareVersions(version.right, ZED_MAX_VERSION) > 0) return left(`--microversion must be at most ${formatVersion(ZED_MAX_VERSION)} (got "${values.microversion}")`);
      return right({ kind: 'openapi', microversion: version.right });
    }
    const { values } = parseArgs({ args: [...argv], options: SERVE_OPTIONS, strict: true, allowPositionals: false });
    if (values.help) return right({ kind: 'help' });
    const nova = values['nova-conf'] !== undefined || values['nova-api-db'] !== undefined;
    const sources = [values.data !== undefined && '--data', values.db !== undefined && '--db', nova && '--nova-conf/--nova-api-db'].filter(Boolean);
    if (sources.length > 1) return left(`${sources.join(' and ')} are alternatives: give one`);
    if (values['nova-conf'] !== undefined && values['nova-api-db'] !== undefined) return left('--nova-conf and --nova-api-db are alternatives: give one');
    if (values['nova-cell-db'] !== undefined && !nova) return left('--nova-cell-db needs --nova-conf or --nova-api-db');
    const dbFlag = (['db-pool-size', 'db-acquire-timeout', 'db-query-timeout'] as const).find((f) => values[f] !== undefined);
    if (dbFlag !== undefined && values.db === undefined && !nova) return left(`--${dbFlag} needs --db, --nova-conf or --nova-api-db`);
    if (values['metrics-port'] === undefined && argv.some((a) => a.startsWith('--metrics-host') || a.startsWith('--metrics-path'))) {
      return left('--metrics-host and --metrics-path need --metrics-port');
    }
    if (values['metrics-port'] !== undefined && values['metrics-port'] === values.port && values.port !== '0') {
      return left('--metrics-port must differ from --port: tenants must not reach the metrics');
    }
    if (values['trust-keystone-headers'] && values.auth !== undefined && values.auth !== 'trusted-headers') return left(`--trust-keystone-headers is --auth trusted-headers: it cannot go with --auth ${values.auth}`);
    const keystoneFlag = KEYSTONE_FLAGS.find((f) => values[f] !== undefined);
    if (keystoneFlag !== undefined && values.auth !== 'keystone') return left(`--${keystoneFlag} needs --auth keystone`);
    const serveParsed = pipe(
      Do,
      bind('framework', () => oneOf('framework', values.framework, FRAMEWORKS)),
      bind('profile', () => oneOf('profile', values.profile, PROFILES)),
      bind('port', () => parsePort(values.port)),
      bind('prefix', () => optional(values.prefix, parsePrefix)),
      bind('maxVersion', () => optional(values['max-version'], parseMaxVersion)),
      bind('serviceDownTime', () => optional(values['service-down-time'], parseSeconds('service-down-time'))),
      bind('uptimeTimeout', () => optional(values['uptime-timeout'], parseDuration('uptime-timeout'))),
      bind('dbPoolSize', () => optional(values['db-pool-size'], parseCount('db-pool-size'))),
      bind('dbAcquireTimeout', () => optional(values['db-acquire-timeout'], parseDuration('db-acquire-timeout'))),
      bind('dbQueryTimeout', () => optional(values['db-query-timeout'], parseDuration('db-query-timeout'))),
      bind('metricsPort', () => optional(values['metrics-port'], (v) => parsePort(v, 'metrics-port'))),
      bind('metricsPath', () => parseMetricsPath(values['metrics-path'])),
      bind('logFormat', () => oneOf('log-format', values['log-format'], LOG_FORMATS)),
      bind('logLevel', () => oneOf('log-level', values['log-level'], LOG_LEVELS)),
      bind('limits', () => parseLimits(values)),
    );
    const keystoneParsed = pipe(
      Do,
      bind('auth', () => optional(values.auth, (v) => oneOf('auth', v, AUTH_MODES))),
      bind('keystoneTimeout', () => optional(values['keystone-timeout'], parseDuration('keystone-timeout'))),
      bind('tokenCacheSize', () => optional(values['token-cache-size'], parseCacheSize)),
      bind('tokenCacheTime', () => optional(values['token-cache-time'], parseDuration('token-cache-time'))),
      bind('redisUrl', () => optional(values['redis-url'], parseUrl('redis-url', ['redis:', 'rediss:']))),
      bind('wwwAuthenticateUri', () => optional(values['www-authenticate-uri'], parseUrl('www-authenticate-uri', ['http:', 'https:']))),
    );
    return pipe(
      Do,
      bind('serve', () => serveParsed),
      bind('keystone', () => keystoneParsed),
      map(({ serve: parsed, keystone: { auth, keystoneTimeout, tokenCacheSize, tokenCacheTime, redisUrl, wwwAuthenticateUri } }): CliCommand => ({
        kind: 'serve',
        ...parsed,
        ...(auth === undefined ? {} : { auth }),
        ...(auth !== 'keystone' ? {} : {
          keystone: dropUndefined({
            cloud: values['os-cloud'], cacert: values['os-cacert'], timeout: keystoneTimeout, tokenCacheSize, tokenCacheTime, redisUrl, wwwAuthenticateUri,
            serviceTokenRolesRequired: values['service-token-roles-required'],
          }),
        }),
        dataFile: values.data,
        db: values.db,
        novaConf: values['nova-conf'],
        novaApiDb: values['nova-api-db'],
        novaCellDbs: values['nova-cell-db'],
        host: values.host,
        policyFile: values['policy-file'],
        trustKeystoneHeaders: values['trust-keystone-headers'] || auth === 'trusted-headers',
        showUnrestrictedHosts: values['show-unrestricted-hosts'],
        metricsHost: values['metrics-host'],
      })),
    );
  } catch (e) {
    // parseArgs's own messages (unknown option, missing value) are written for users.
    return left(e instanceof Error ? e.message : String(e));
  }
};
