import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonScript, startPythonServer } from '../process.js';
import type { KeystoneHandle, KeystoneIdentity } from './launcher.js';

export interface AuthTokenReferenceOptions {
  /** The Keystone whose fixture service user the middleware authenticates as. */
  keystone: KeystoneHandle;
  /** auth_url (default: keystone.url; a FaultProxy's url to put failures between them). */
  authUrl?: string;
  /** `www_authenticate_uri` (default: keystone.url): what 401 answers name in `WWW-Authenticate`. */
  wwwAuthenticateUri?: string;
  /** The middleware's own identity (default: the `service` fixture user). */
  serviceIdentity?: KeystoneIdentity;
  /** More `[keystone_authtoken]` options, or overrides (e.g. `{ token_cache_time: '-1' }`). */
  options?: Record<string, string>;
}

export interface AuthTokenReference {
  /** Base URL of the app behind the middleware; any path answers (see python/auth_token_reference.py). */
  readonly url: string;
  readonly keystonemiddlewareVersion: string;
  /** The options it was started with. */
  readonly options: Readonly<Record<string, string>>;
  readonly logFile: string;
  stop(): Promise<void>;
}

/** Nova's `[keystone_authtoken]` section for the fixture service user of `opts.keystone`, as paste options. */
export function keystoneAuthtokenOptions(opts: AuthTokenReferenceOptions): Record<string, string> {
  const ks = opts.keystone;
  const service = opts.serviceIdentity ?? ks.identities.service;
  return {
    auth_type: 'password',
    auth_url: opts.authUrl ?? ks.url,
    www_authenticate_uri: opts.wwwAuthenticateUri ?? ks.url,
    username: service.name,
    password: service.password,
    user_domain_name: 'Default',
    project_name: service.projectName ?? 'service',
    project_domain_name: 'Default',
    region_name: ks.region,
    service_token_roles_required: 'true',
    ...opts.options,
  };
}

/** The options as `--option NAME=VALUE` arguments. */
export const optionArgs = (flag: string, options: Record<string, string>): string[] =>
  Object.entries(options).flatMap(([k, v]) => [flag, `${k}=${v}`]);

/**
 * Starts the real keystonemiddleware auth_token (python3-keystonemiddleware) configured as Nova configures
 * its `[keystone_authtoken]`, in front of an app that echoes what reached it: the reference our own token
 * validation is compared with.
 */
export async function startAuthTokenReference(opts: AuthTokenReferenceOptions): Promise<AuthTokenReference> {
  const options = keystoneAuthtokenOptions(opts);
  const dir = mkdtempSync(join(tmpdir(), 'osh-authtoken-'));
  const logFile = join(dir, 'auth_token.log');
  const server = await startPythonServer<{ port: number; keystonemiddleware: string }>(
    pythonScript('auth_token_reference.py'),
    optionArgs('--option', options),
    logFile,
  );
  return {
    url: `http://127.0.0.1:${server.ready.port}`,
    keystonemiddlewareVersion: server.ready.keystonemiddleware,
    options,
    logFile,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
