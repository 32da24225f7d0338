import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PYTHON } from '../python.js';
import { logTail, pythonScript } from '../process.js';
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

/**
 * Starts the real keystonemiddleware auth_token (python3-keystonemiddleware) configured as Nova configures
 * its `[keystone_authtoken]`, in front of an app that echoes what reached it: the reference our own token
 * validation is compared with.
 */
export async function startAuthTokenReference(opts: AuthTokenReferenceOptions): Promise<AuthTokenReference> {
  const ks = opts.keystone;
  const service = opts.serviceIdentity ?? ks.identities.service;
  const options: Record<string, string> = {
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
  const dir = mkdtempSync(join(tmpdir(), 'osh-authtoken-'));
  const logFile = join(dir, 'auth_token.log');
  const log = createWriteStream(logFile);
  const child = spawn(
    PYTHON,
    [pythonScript('auth_token_reference.py'), ...Object.entries(options).flatMap(([k, v]) => ['--option', `${k}=${v}`])],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  child.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise<{ port: number; keystonemiddleware: string }>((resolve, reject) => {
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line));
      } catch (e) {
        reject(e);
      }
    });
    void exited.then(() => reject(new Error(`auth_token_reference.py exited before it was ready:\n${logTail(logFile)}`)));
  });
  return {
    url: `http://127.0.0.1:${ready.port}`,
    keystonemiddlewareVersion: ready.keystonemiddleware,
    options,
    logFile,
    async stop() {
      child.stdin.end();
      await exited;
      log.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
