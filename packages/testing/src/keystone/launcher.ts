import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PYTHON } from '../python.js';
import { freePort, pythonScript, spawnSupervised, waitForHttp, type SupervisedProcess } from '../process.js';
import {
  APP_CREDENTIAL,
  IDENTITY_URL_PLACEHOLDER,
  PROJECT_IDS,
  REGION,
  USERS,
  setupSpec,
  type IdentityName,
  type ProjectName,
} from './fixtures.js';

const run = promisify(execFile);

export interface KeystoneOptions {
  /**
   * uwsgi worker processes, one thread each (SQLite: more threads per process lock the database). Default 1:
   * each one imports Keystone (~3 s of CPU), and a request takes milliseconds.
   */
  processes?: number;
  /** keystone.conf `[token] expiration`, in seconds. Default 3600. */
  tokenExpirationSeconds?: number;
  /** Lines appended to keystone.conf (e.g. `[cache]` settings). */
  extraConfig?: string;
  /** Keep the temporary directory (config, database, keys, `keystone.log`) on dispose, for debugging. */
  keepDir?: boolean;
}

/** A fixture user, with the ids Keystone gave it. */
export interface KeystoneIdentity {
  readonly key: IdentityName;
  readonly name: string;
  readonly userId: string;
  readonly password: string;
  readonly domainId: 'default';
  /** Project of its project-scoped tokens (absent for system-only users). */
  readonly projectId?: string;
  readonly projectName?: string;
  /** Roles granted on the project, and on the system, as assigned (tokens also carry the implied ones). */
  readonly roles: readonly string[];
  readonly systemRoles: readonly string[];
}

export type TokenScope = 'project' | 'system' | 'unscoped';

export interface IssueTokenOptions {
  /** Scope a project token to this project instead of the identity's own. */
  projectId?: string;
  /**
   * Lifetime of this one token: it is issued by a second Keystone on the same database and keys, started
   * with `[token] expiration = ttlSeconds`, so this Keystone accepts it until then and answers it as
   * expired after. See also `expiredToken`.
   */
  ttlSeconds?: number;
}

export interface IssuedToken {
  readonly token: string;
  /** The token document of POST /v3/auth/tokens (`{"token": {...}}`), catalog omitted. */
  readonly body: { token: { expires_at: string; roles?: { id: string; name: string }[]; [k: string]: unknown } };
}

export interface KeystoneHandle {
  /** Base URL, e.g. `http://127.0.0.1:PORT` (the auth URL; the v3 API is under `/v3`). */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly identities: { readonly [K in IdentityName]: KeystoneIdentity };
  readonly projects: { readonly [K in ProjectName]: string };
  /** Role name → id (admin, member, reader, service). */
  readonly roles: Readonly<Record<string, string>>;
  /** The service user's application credential (role `service` on project `service`). */
  readonly appCredential: { readonly id: string; readonly name: string; readonly secret: string; readonly userId: string; readonly projectId: string };
  /** Directory holding keystone.conf, keystone.db, the key repositories and keystone.log. */
  readonly dir: string;
  readonly logFile: string;
  readonly keystoneVersion: string;
  readonly running: boolean;
  /** A token of `identity` (name or identity), scoped as asked (default: project). */
  issueToken(identity: IdentityName | KeystoneIdentity, scope?: TokenScope, opts?: IssueTokenOptions): Promise<string>;
  /** As `issueToken`, with Keystone's token document. */
  authenticate(identity: IdentityName | KeystoneIdentity, scope?: TokenScope, opts?: IssueTokenOptions): Promise<IssuedToken>;
  /** A token issued for the service user's application credential. */
  issueAppCredentialToken(): Promise<string>;
  /** A token that has already expired (issued with a 1 s lifetime; resolves once it has run out). */
  expiredToken(identity: IdentityName | KeystoneIdentity, scope?: TokenScope): Promise<string>;
  /** `DELETE /v3/auth/tokens` for `token`, as a system admin; Keystone answers it 404 from then on. */
  revokeToken(token: string): Promise<void>;
  /**
   * Puts `serviceType` in the catalog as service `name` with public, internal and admin endpoints at `url`
   * in the region; an earlier service of that type (and its endpoints) is replaced.
   */
  registerEndpoint(serviceType: string, name: string, url: string): Promise<{ serviceId: string; endpointIds: string[] }>;
  /** Stops the server (connections are refused from then on); the data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data and keys: tokens issued before stay valid. */
  start(): Promise<void>;
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
}

const DIST_PACKAGES = '/usr/lib/python3/dist-packages';
const UWSGI = process.env.OSH_UWSGI ?? 'uwsgi';
const KEYSTONE_WSGI = process.env.OSH_KEYSTONE_WSGI ?? '/usr/bin/keystone-wsgi-public';

function installedKeystoneVersion(): string {
  try {
    const info = readdirSync(DIST_PACKAGES).find((f) => /^keystone-[\d.]+\.(egg|dist)-info$/.test(f));
    return info ? info.replace(/^keystone-/, '').replace(/\.(egg|dist)-info$/, '') : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** keystone.conf for a directory: SQLite there, its own Fernet and credential key repositories. */
function keystoneConf(dir: string, db: string, expiration: number, extra = ''): string {
  return `[DEFAULT]
use_stderr = true
[database]
connection = sqlite:///${db}
[fernet_tokens]
key_repository = ${join(dir, 'fernet-keys')}
[fernet_receipts]
key_repository = ${join(dir, 'fernet-keys')}
[credential]
key_repository = ${join(dir, 'credential-keys')}
[token]
expiration = ${expiration}
[identity]
# bcrypt's smallest cost: each password authentication would otherwise take ~0.5 s of CPU.
password_hash_rounds = 4
[resource]
# So tokens say is_admin_project: true only for project admin (without it Keystone omits the field and
# keystonemiddleware passes X-Is-Admin-Project: True for every project).
admin_project_name = admin
admin_project_domain_name = Default
${extra}
`;
}

/**
 * A Fernet key repository as `keystone-manage fernet_setup` leaves it: key 0 (staged) and key 1
 * (primary), each Fernet.generate_key(): 32 random bytes, URL-safe base64 with padding.
 */
function writeKeyRepository(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const n of ['0', '1']) {
    writeFileSync(join(dir, n), randomBytes(32).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'), { mode: 0o600 });
  }
}

interface BuiltDatabase {
  readonly dbFile: string;
  readonly keystone: string;
  readonly roles: Record<string, string>;
  readonly projects: Record<string, string>;
  readonly users: Record<string, string>;
  readonly app_credentials: Record<string, string>;
}

/**
 * The migrated, bootstrapped database with the fixtures, built once per Keystone version and fixture set
 * under ~/.cache/os-hypervisors-keystone/ (db_sync + bootstrap take seconds; a copy takes milliseconds).
 */
async function builtDatabase(): Promise<BuiltDatabase> {
  const spec = JSON.stringify(setupSpec());
  const version = installedKeystoneVersion();
  const hash = createHash('sha256')
    .update(readFileSync(pythonScript('keystone_setup.py')))
    .update(spec)
    .update(keystoneConf('', '', 0))
    .digest('hex')
    .slice(0, 16);
  const root = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'os-hypervisors-keystone');
  const dir = join(root, `${version}-${hash}`);
  if (!existsSync(join(dir, 'fixtures.json'))) {
    mkdirSync(root, { recursive: true });
    const build = mkdtempSync(join(root, '.build-'));
    try {
      writeKeyRepository(join(build, 'fernet-keys'));
      writeKeyRepository(join(build, 'credential-keys'));
      const db = join(build, 'keystone.db');
      writeFileSync(join(build, 'keystone.conf'), keystoneConf(build, db, 3600));
      const child = execFile(
        PYTHON,
        [pythonScript('keystone_setup.py'), '--config-file', join(build, 'keystone.conf'), '--db-file', db],
        { maxBuffer: 64 << 20 },
      );
      child.stdin?.end(spec);
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (d) => (stdout += d));
      child.stderr?.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      if (code !== 0) throw new Error(`keystone_setup.py failed (${code}):\n${stderr.split('\n').slice(-30).join('\n')}`);
      writeFileSync(join(build, 'fixtures.json'), stdout.trim().split('\n').pop() ?? '');
      for (const f of ['keystone.conf', 'fernet-keys', 'credential-keys']) rmSync(join(build, f), { recursive: true, force: true });
      try {
        renameSync(build, dir);
      } catch {
        // another test process built it at the same time: keep theirs
      }
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  }
  return { dbFile: join(dir, 'keystone.db'), ...JSON.parse(readFileSync(join(dir, 'fixtures.json'), 'utf8')) };
}

/** A Keystone (uwsgi serving keystone-wsgi-public) on `port` over the instance directory's data. */
async function serveKeystone(dir: string, confFile: string, port: number, processes: number, logFile: string): Promise<SupervisedProcess> {
  const proc = spawnSupervised(
    UWSGI,
    [
      '--plugin', 'python3,http',
      // uwsgi's HTTP router in front of the workers, with keep-alive: Node's and Python's clients keep
      // connections open. With `--http11-socket` instead, each worker serves one client's connection until
      // it closes, so one idle keep-alive client stalls a single-worker Keystone (measured: 3.7 s per request).
      '--http', `127.0.0.1:${port}`, '--http-keepalive',
      '--wsgi-file', KEYSTONE_WSGI,
      '--master', '--processes', String(processes), '--threads', '1',
      // Each worker opens its own SQLite connections after the fork.
      '--lazy-apps',
      '--need-app', '--die-on-term', '--buffer-size', '65535', '--disable-logging',
    ],
    { env: { OS_KEYSTONE_CONFIG_FILES: confFile }, cwd: dir, logFile },
  );
  try {
    await waitForHttp(`http://127.0.0.1:${port}/v3`, proc, { logFile, timeoutMs: 90_000 });
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return proc;
}

async function keystoneJson(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

/**
 * Starts a real Keystone (Debian's python3-keystone, served by uwsgi) on a free loopback port, in a new
 * temporary directory, holding the fixture identities (see fixtures.ts).
 */
export async function startKeystone(opts: KeystoneOptions = {}): Promise<KeystoneHandle> {
  const built = await builtDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'osh-keystone-'));
  const db = join(dir, 'keystone.db');
  const confFile = join(dir, 'keystone.conf');
  const logFile = join(dir, 'keystone.log');
  const processes = opts.processes ?? 1;
  copyFileSync(built.dbFile, db);
  writeKeyRepository(join(dir, 'fernet-keys'));
  writeKeyRepository(join(dir, 'credential-keys'));
  writeFileSync(confFile, keystoneConf(dir, db, opts.tokenExpirationSeconds ?? 3600, opts.extraConfig));

  let port = 0;
  let proc: SupervisedProcess | undefined;
  for (let attempt = 0; !proc; attempt++) {
    port = await freePort();
    await run(PYTHON, [pythonScript('keystone_setup.py'), '--db-file', db, '--rewrite-url', IDENTITY_URL_PLACEHOLDER, `http://127.0.0.1:${port}/v3`]);
    try {
      proc = await serveKeystone(dir, confFile, port, processes, logFile);
    } catch (e) {
      // Another process took the port between our probe and uwsgi's bind: try another.
      if (attempt >= 2 || !/Address already in use/.test(String(e))) {
        if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
        throw e;
      }
      await run(PYTHON, [pythonScript('keystone_setup.py'), '--db-file', db, '--rewrite-url', `http://127.0.0.1:${port}/v3`, IDENTITY_URL_PLACEHOLDER]);
    }
  }
  const url = `http://127.0.0.1:${port}`;

  const identities = Object.fromEntries(
    Object.entries(USERS).map(([key, u]) => {
      const project = 'project' in u ? (u.project as ProjectName) : undefined;
      const identity: KeystoneIdentity = {
        key: key as IdentityName,
        name: u.name,
        userId: built.users[u.name]!,
        password: u.password,
        domainId: 'default',
        ...(project ? { projectId: PROJECT_IDS[project], projectName: project } : {}),
        roles: 'roles' in u ? u.roles : [],
        systemRoles: 'systemRoles' in u ? u.systemRoles : [],
      };
      return [key, identity];
    }),
  ) as { [K in IdentityName]: KeystoneIdentity };

  const appCredential = {
    id: built.app_credentials[APP_CREDENTIAL.name]!,
    name: APP_CREDENTIAL.name,
    secret: APP_CREDENTIAL.secret,
    userId: identities[APP_CREDENTIAL.user].userId,
    projectId: PROJECT_IDS[APP_CREDENTIAL.project],
  };

  const resolve = (i: IdentityName | KeystoneIdentity): KeystoneIdentity => (typeof i === 'string' ? identities[i] : i);

  const authRequest = (identity: KeystoneIdentity, scope: TokenScope, projectId?: string) => ({
    auth: {
      identity: { methods: ['password'], password: { user: { id: identity.userId, password: identity.password } } },
      ...(scope === 'system'
        ? { scope: { system: { all: true } } }
        : scope === 'project'
          ? { scope: { project: { id: projectId ?? identity.projectId ?? fail(`${identity.name} has no project`) } } }
          : {}),
    },
  });

  const postToken = async (base: string, request: unknown): Promise<IssuedToken> => {
    const res = await keystoneJson('POST', `${base}/v3/auth/tokens?nocatalog`, {}, request);
    const token = res.headers.get('x-subject-token');
    if (res.status !== 201 || !token) throw new Error(`Keystone refused a token (${res.status}): ${JSON.stringify(res.json)}`);
    return { token, body: res.json };
  };

  const authenticate = async (who: IdentityName | KeystoneIdentity, scope: TokenScope = 'project', o: IssueTokenOptions = {}) => {
    const request = authRequest(resolve(who), scope, o.projectId);
    if (o.ttlSeconds === undefined) return postToken(url, request);
    // A second Keystone on the same database and keys, whose tokens live ttlSeconds.
    const ttlConf = join(dir, `keystone-ttl-${o.ttlSeconds}.conf`);
    writeFileSync(ttlConf, keystoneConf(dir, db, o.ttlSeconds, opts.extraConfig));
    const ttlPort = await freePort();
    const sibling = await serveKeystone(dir, ttlConf, ttlPort, 1, join(dir, 'keystone-ttl.log'));
    try {
      return await postToken(`http://127.0.0.1:${ttlPort}`, request);
    } finally {
      await sibling.stop();
    }
  };

  let adminToken: string | undefined;
  const asAdmin = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    adminToken ??= await (await authenticate('admin', 'system')).token;
    return keystoneJson(method, `${url}${path}`, { 'X-Auth-Token': adminToken, ...extra }, body);
  };

  const handle: KeystoneHandle = {
    url,
    port,
    region: REGION,
    identities,
    projects: PROJECT_IDS,
    roles: built.roles,
    appCredential,
    dir,
    logFile,
    keystoneVersion: built.keystone,
    get running() {
      return proc !== undefined;
    },
    authenticate,
    async issueToken(who, scope = 'project', o = {}) {
      return (await authenticate(who, scope, o)).token;
    },
    async issueAppCredentialToken() {
      return (
        await postToken(url, {
          auth: { identity: { methods: ['application_credential'], application_credential: { id: appCredential.id, secret: appCredential.secret } } },
        })
      ).token;
    },
    async expiredToken(who, scope = 'project') {
      const issued = await authenticate(who, scope, { ttlSeconds: 1 });
      const wait = Date.parse(issued.body.token.expires_at) + 1_100 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      return issued.token;
    },
    async revokeToken(token) {
      const res = await asAdmin('DELETE', '/v3/auth/tokens', undefined, { 'X-Subject-Token': token });
      if (res.status !== 204) throw new Error(`Keystone did not revoke the token (${res.status}): ${JSON.stringify(res.json)}`);
    },
    async registerEndpoint(serviceType, name, endpointUrl) {
      const existing = await asAdmin('GET', `/v3/services?type=${encodeURIComponent(serviceType)}`);
      for (const s of existing.json?.services ?? []) await asAdmin('DELETE', `/v3/services/${s.id}`);
      const service = await asAdmin('POST', '/v3/services', { service: { type: serviceType, name, enabled: true } });
      if (service.status !== 201) throw new Error(`Keystone refused the service (${service.status}): ${JSON.stringify(service.json)}`);
      const serviceId: string = service.json.service.id;
      const endpointIds: string[] = [];
      for (const iface of ['public', 'internal', 'admin']) {
        const ep = await asAdmin('POST', '/v3/endpoints', {
          endpoint: { service_id: serviceId, interface: iface, url: endpointUrl, region_id: REGION, enabled: true },
        });
        if (ep.status !== 201) throw new Error(`Keystone refused the endpoint (${ep.status}): ${JSON.stringify(ep.json)}`);
        endpointIds.push(ep.json.endpoint.id);
      }
      return { serviceId, endpointIds };
    },
    async stop() {
      const p = proc;
      proc = undefined;
      await p?.stop();
    },
    async start() {
      if (proc) return;
      proc = await serveKeystone(dir, confFile, port, processes, logFile);
    },
    async dispose() {
      await handle.stop();
      if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

function fail(message: string): never {
  throw new Error(message);
}
