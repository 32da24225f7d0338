import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset } from '@os-hypervisors/core';
import { startPythonServer } from '../process.js';
import { keystoneAuthtokenOptions, optionArgs, type AuthTokenReferenceOptions } from '../keystone/auth-token-reference.js';

/** bench/nova-oracle/oracle.py: Nova Zed's own API in-process over a dataset (see its README). */
const ORACLE = fileURLToPath(new URL('../../../../bench/nova-oracle/oracle.py', import.meta.url));

export interface NovaApiOptions extends Omit<AuthTokenReferenceOptions, 'keystone'> {
  /** With a Keystone: Nova's `keystone` pipeline (keystonemiddleware auth_token + NovaKeystoneContext),
   *  authenticating as its fixture service user; without: `noauth2`. */
  keystone?: AuthTokenReferenceOptions['keystone'];
  dataset: Dataset;
  /** Nova's frozen clock (default: now). */
  now?: Date;
}

export interface NovaApi {
  /** e.g. `http://127.0.0.1:PORT`; the compute API is `${url}/v2.1`. */
  readonly url: string;
  readonly computeUrl: string;
  readonly novaVersion: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

/**
 * Real Nova Zed (python3-nova) serving its compute API over HTTP on loopback, over `dataset` in SQLite
 * databases built by Nova's migrations (bench/nova-oracle/oracle.py --listen).
 */
export async function startNovaApi(opts: NovaApiOptions): Promise<NovaApi> {
  const dir = mkdtempSync(join(tmpdir(), 'osh-nova-'));
  const datasetFile = join(dir, 'dataset.json');
  const logFile = join(dir, 'nova.log');
  writeFileSync(datasetFile, JSON.stringify(opts.dataset));
  const now = (opts.now ?? new Date()).toISOString().slice(0, 19);
  const auth = opts.keystone
    ? ['--auth', 'keystone', ...optionArgs('--authtoken', keystoneAuthtokenOptions({ ...opts, keystone: opts.keystone }))]
    : [];
  try {
    const server = await startPythonServer<{ port: number; nova: string }>(
      ORACLE,
      ['--dataset', datasetFile, '--now', now, '--listen', '0', ...auth],
      logFile,
    );
    const url = `http://127.0.0.1:${server.ready.port}`;
    return {
      url,
      computeUrl: `${url}/v2.1`,
      novaVersion: server.ready.nova,
      logFile,
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
