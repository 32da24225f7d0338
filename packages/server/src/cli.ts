#!/usr/bin/env node
import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { isLeft } from 'fp-ts/lib/Either.js';
import { buildOpenApiDocument, renderApiReference, type Dataset, type PolicyFileText } from '@os-hypervisors/core';
import { decodeDataset } from '@os-hypervisors/storage-memory';
import { parseCommandLine, USAGE, type KeystoneFlags, type ServeCommand } from './cli-args.js';
import { startServer, type KeystoneServerOptions } from './index.js';


const readText = async (flag: string, file: string): Promise<string> => {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${flag} ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
};

const readJson = async (file: string): Promise<unknown> => {
  const text = await readText('--data', file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`--data ${file} is not JSON: ${(e as Error).message}`);
  }
};

const readDataset = async (file: string): Promise<Dataset> => {
  const dataset = decodeDataset(await readJson(file));
  if (isLeft(dataset)) throw new Error(`--data ${file} is not a Nova-shaped dataset: ${dataset.left}`);
  return dataset.right;
};

/** oslo.policy files are YAML or JSON; the extension says which parser's messages fit. */
const readPolicyFile = async (file: string): Promise<PolicyFileText> =>
  ({ text: await readText('--policy-file', file), format: file.endsWith('.json') ? 'json' : 'yaml', source: file });

/**
 * `--auth keystone`: the service's credentials from a clouds.yaml entry (`--os-cloud`, or `OS_CLOUD`) or the
 * `OS_*` variables, as the OpenStack clients find them. Errors name the missing setting, never a password.
 */
const keystoneOptions = async (flags: KeystoneFlags, env: NodeJS.ProcessEnv): Promise<KeystoneServerOptions> => {
  const { serviceCredentialsFromCloud, serviceCredentialsFromEnv } = await import('@os-hypervisors/keystone');
  const cloud = flags.cloud ?? (env.OS_CLOUD || undefined);
  const settings = cloud !== undefined ? await serviceCredentialsFromCloud(cloud, env) : serviceCredentialsFromEnv(env);
  if (isLeft(settings)) throw new Error(`--auth keystone: ${settings.left}`);
  const { cacertFile, ...auth } = settings.right;
  const cacert = flags.cacert ?? cacertFile;
  let lastError = '';
  return {
    ...auth,
    ...(cacert === undefined ? {} : { caBundle: await readText('--os-cacert', cacert) }),
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout * 1000 }),
    ...(flags.tokenCacheSize === undefined ? {} : { tokenCacheSize: flags.tokenCacheSize }),
    ...(flags.tokenCacheTime === undefined ? {} : { tokenCacheTime: flags.tokenCacheTime }),
    ...(flags.redisUrl === undefined ? {} : { redisUrl: flags.redisUrl }),
    ...(flags.wwwAuthenticateUri === undefined ? {} : { wwwAuthenticateUri: flags.wwwAuthenticateUri }),
    ...(flags.serviceTokenRolesRequired === undefined ? {} : { serviceTokenRolesRequired: flags.serviceTokenRolesRequired }),
    // Said once per kind of failure, not once per request, while Keystone stays down.
    onError: (e) => {
      if (e.message !== lastError) console.error(`os-hypervisors: answering 503: ${e.message}`);
      lastError = e.message;
    },
  };
};

const serve = async (command: ServeCommand): Promise<void> => {
  const running = await startServer({
    policyFile: command.policyFile === undefined ? undefined : await readPolicyFile(command.policyFile),
    dataset: command.dataFile === undefined ? undefined : await readDataset(command.dataFile),
    db: command.db,
    host: command.host,
    port: command.port,
    framework: command.framework,
    prefix: command.prefix,
    profile: command.profile,
    maxVersion: command.maxVersion,
    serviceDownTime: command.serviceDownTime,
    ...(command.uptimeTimeout === undefined ? {} : { uptimeTimeoutMs: command.uptimeTimeout * 1000 }),
    dbOptions: {
      ...(command.dbPoolSize === undefined ? {} : { poolSize: command.dbPoolSize }),
      ...(command.dbAcquireTimeout === undefined ? {} : { acquireTimeoutMs: command.dbAcquireTimeout * 1000 }),
      ...(command.dbQueryTimeout === undefined ? {} : { queryTimeoutMs: command.dbQueryTimeout * 1000 }),
    },
    trustKeystoneHeaders: command.trustKeystoneHeaders,
    showUnrestrictedHosts: command.showUnrestrictedHosts,
    ...(command.auth === undefined ? {} : { auth: command.auth }),
    ...(command.auth === 'keystone' ? { keystone: await keystoneOptions(command.keystone ?? {}, process.env) } : {}),
  });
  // Legal but suspicious policy rules (a rule: to an unknown name, a check no caller can pass, …).
  for (const warning of running.policyWarnings) console.error(`os-hypervisors: policy warning: ${warning}`);
  if (running.storageWarning !== undefined) console.error(`os-hypervisors: ${running.storageWarning}`);
  if (command.auth === 'keystone') console.log('os-hypervisors: authenticating callers with Keystone');
  console.log(`os-hypervisors listening on ${running.url}`);
  const stop = (signal: string) => {
    console.log(`os-hypervisors: ${signal}, stopping`);
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
};

const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const command = parseCommandLine(argv);
  if (isLeft(command)) {
    console.error(`os-hypervisors-server: ${command.left}\n\n${USAGE}`);
    return 2;
  }
  switch (command.right.kind) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'import': {
      // Loaded only here and for --db: serving the in-memory demo needs no database driver.
      const { importDatasetFromUrl } = await import('@os-hypervisors/storage-sql');
      const imported = await importDatasetFromUrl(command.right.db, await readJson(command.right.dataFile));
      if (isLeft(imported)) throw new Error(imported.left);
      const counts = Object.entries(imported.right).map(([table, n]) => `${n} ${table}`).join(', ');
      console.log(`os-hypervisors: imported ${counts} into ${command.right.db}`);
      return 0;
    }
    case 'openapi':
      // Pure and offline: the document comes from the core's route and response tables.
      console.log(JSON.stringify(buildOpenApiDocument(command.right.microversion), null, 2));
      return 0;
    case 'reference':
      process.stdout.write(renderApiReference());
      return 0;
    case 'serve':
      await serve(command.right);
      return 0;
  }
};

main(process.argv.slice(2)).then(
  (code) => { if (code !== 0) process.exit(code); },
  (e: unknown) => {
    // A start-up failure (bad URL, port in use, unreadable policy) is the user's to fix: its message, no stack.
    const message = e instanceof Error ? e.message : String(e);
    console.error(`os-hypervisors-server: ${message}`);
    process.exit(1);
  },
);
