import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type Either, left, right } from 'fp-ts/lib/Either.js';
import type { NameOrId, ServiceCredentials } from './service-auth.js';

/** Where the service authenticates and how (what `createKeystoneAuth` needs beyond cache settings). */
export interface OpenStackAuthSettings {
  readonly authUrl: string;
  readonly serviceCredentials: ServiceCredentials;
  readonly regionName?: string;
  readonly interface?: string;
  /** A CA bundle file (`OS_CACERT`, clouds.yaml `cacert`): the caller reads it. */
  readonly cacertFile?: string;
}

/** One clouds.yaml entry as openstacksdk reads it; the `OS_*` variables map onto the same shape. */
interface CloudEntry {
  readonly auth_type?: string;
  readonly auth?: Readonly<Record<string, unknown>>;
  readonly region_name?: string;
  readonly interface?: string;
  readonly cacert?: string;
}

/** `OS_AUTH_URL` → `auth.auth_url`, `OS_REGION_NAME` → `region_name`, …, as openstacksdk maps them. */
const ENV_AUTH_KEYS = [
  'auth_url', 'username', 'user_id', 'password', 'project_name', 'project_id', 'user_domain_name', 'user_domain_id',
  'project_domain_name', 'project_domain_id', 'system_scope', 'application_credential_id', 'application_credential_name',
  'application_credential_secret',
] as const;

const cloudFromEnv = (env: Readonly<Record<string, string | undefined>>): CloudEntry => {
  const auth: Record<string, string> = {};
  for (const key of ENV_AUTH_KEYS) {
    const value = env[`OS_${key.toUpperCase()}`];
    if (value !== undefined && value !== '') auth[key] = value;
  }
  // keystoneclient's v2-era names, still set by old openrc files.
  if (auth.project_name === undefined && env.OS_TENANT_NAME) auth.project_name = env.OS_TENANT_NAME;
  if (auth.project_id === undefined && env.OS_TENANT_ID) auth.project_id = env.OS_TENANT_ID;
  const optional = (name: string) => (env[name] ? env[name] : undefined);
  return { auth_type: optional('OS_AUTH_TYPE'), auth, region_name: optional('OS_REGION_NAME'), interface: optional('OS_INTERFACE'), cacert: optional('OS_CACERT') };
};

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

const domainOf = (auth: Readonly<Record<string, unknown>>, kind: 'user' | 'project'): NameOrId | undefined => {
  const id = text(auth[`${kind}_domain_id`]) ?? text(auth.domain_id);
  if (id !== undefined) return { id };
  const name = text(auth[`${kind}_domain_name`]) ?? text(auth.domain_name);
  return name === undefined ? undefined : { name };
};

/** The service credentials of one entry, checked as keystoneauth's plugins check their options. */
const settingsFromEntry = (entry: CloudEntry, source: string): Either<string, OpenStackAuthSettings> => {
  const auth = entry.auth ?? {};
  const authUrl = text(auth.auth_url);
  if (authUrl === undefined) return left(`${source}: no auth_url (OS_AUTH_URL)`);
  const common = {
    authUrl,
    ...(entry.region_name === undefined ? {} : { regionName: entry.region_name }),
    ...(entry.interface === undefined ? {} : { interface: entry.interface }),
    ...(entry.cacert === undefined ? {} : { cacertFile: entry.cacert }),
  };
  const appCredSecret = text(auth.application_credential_secret);
  const type = entry.auth_type ?? (appCredSecret !== undefined ? 'v3applicationcredential' : 'password');
  if (type === 'v3applicationcredential' || type === 'applicationcredential') {
    if (appCredSecret === undefined) return left(`${source}: application credential without its secret (OS_APPLICATION_CREDENTIAL_SECRET)`);
    const id = text(auth.application_credential_id);
    if (id !== undefined) return right({ ...common, serviceCredentials: { kind: 'application-credential', credential: { id }, secret: appCredSecret } });
    const name = text(auth.application_credential_name);
    const userId = text(auth.user_id);
    const username = text(auth.username);
    const domain = domainOf(auth, 'user');
    if (name === undefined) return left(`${source}: application credential needs its id or name (OS_APPLICATION_CREDENTIAL_ID)`);
    if (userId !== undefined) return right({ ...common, serviceCredentials: { kind: 'application-credential', credential: { name, user: { id: userId } }, secret: appCredSecret } });
    if (username === undefined || domain === undefined) return left(`${source}: an application credential named ${name} needs its user (id, or name and domain)`);
    return right({ ...common, serviceCredentials: { kind: 'application-credential', credential: { name, user: { name: username, domain } }, secret: appCredSecret } });
  }
  if (type !== 'password' && type !== 'v3password') return left(`${source}: auth_type ${type} is not supported (password or v3applicationcredential)`);
  const password = text(auth.password);
  if (password === undefined) return left(`${source}: no password (OS_PASSWORD)`);
  const userId = text(auth.user_id);
  const username = text(auth.username);
  const userDomain = domainOf(auth, 'user');
  let user: { id: string } | { name: string; domain: NameOrId };
  if (userId !== undefined) user = { id: userId };
  else if (username === undefined) return left(`${source}: no username or user_id (OS_USERNAME)`);
  else if (userDomain === undefined) return left(`${source}: user ${username} needs its domain (OS_USER_DOMAIN_NAME or OS_USER_DOMAIN_ID)`);
  else user = { name: username, domain: userDomain };
  const projectId = text(auth.project_id);
  const projectName = text(auth.project_name);
  const projectDomain = domainOf(auth, 'project');
  let scope: Extract<ServiceCredentials, { kind: 'password' }>['scope'];
  if (projectId !== undefined) scope = { project: { id: projectId } };
  else if (projectName !== undefined) {
    if (projectDomain === undefined) return left(`${source}: project ${projectName} needs its domain (OS_PROJECT_DOMAIN_NAME or OS_PROJECT_DOMAIN_ID)`);
    scope = { project: { name: projectName, domain: projectDomain } };
  } else if (text(auth.system_scope) === 'all') scope = { system: 'all' };
  return right({ ...common, serviceCredentials: { kind: 'password', user, password, ...(scope === undefined ? {} : { scope }) } });
};

/** Service credentials from the standard `OS_*` variables (an openrc file's). */
export const serviceCredentialsFromEnv = (env: Readonly<Record<string, string | undefined>>): Either<string, OpenStackAuthSettings> =>
  settingsFromEntry(cloudFromEnv(env), 'OS_* environment');

/** openstacksdk's search order: `OS_CLIENT_CONFIG_FILE`, `./clouds.yaml`, `~/.config/openstack/`, `/etc/openstack/`. */
export const findCloudsYaml = (env: Readonly<Record<string, string | undefined>>, cwd: string = process.cwd()): string | undefined => {
  const candidates = [
    env.OS_CLIENT_CONFIG_FILE,
    join(cwd, 'clouds.yaml'),
    join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'openstack', 'clouds.yaml'),
    '/etc/openstack/clouds.yaml',
  ];
  return candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
};

/** The entry `name` of a parsed clouds.yaml document (`clouds: {name: {auth: …}}`). */
export const authSettingsFromCloud = (document: unknown, name: string, source: string): Either<string, OpenStackAuthSettings> => {
  const clouds = (document as { clouds?: Record<string, unknown> } | null)?.clouds;
  const entry = clouds?.[name];
  if (entry === undefined || entry === null || typeof entry !== 'object') return left(`${source}: no cloud named ${name}`);
  return settingsFromEntry(entry as CloudEntry, `${source} cloud ${name}`);
};

/** `--os-cloud NAME`: the entry of the clouds.yaml the OpenStack clients would read. */
export const serviceCredentialsFromCloud = async (name: string, env: Readonly<Record<string, string | undefined>>, cwd?: string): Promise<Either<string, OpenStackAuthSettings>> => {
  const file = findCloudsYaml(env, cwd);
  if (file === undefined) return left(`no clouds.yaml found for cloud ${name} (OS_CLIENT_CONFIG_FILE, ./clouds.yaml, ~/.config/openstack/, /etc/openstack/)`);
  let document: unknown;
  try {
    document = parse(await readFile(file, 'utf8'));
  } catch (e) {
    return left(`${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  return authSettingsFromCloud(document, name, file);
};
