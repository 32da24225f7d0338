#!/usr/bin/env node
import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { isLeft } from 'fp-ts/lib/Either.js';
import { buildOpenApiDocument, renderApiReference, type Dataset, type PolicyFileText } from '@os-hypervisors/core';
import { decodeDataset } from '@os-hypervisors/storage-memory';
import { parseCommandLine, USAGE, type KeystoneFlags, type ServeCommand } from './cli-args.js';
import { startServer, type KeystoneServerOptions, type RunningServer, type ServerOptions } from './index.js';
import { redactSecrets, redactUrl, tracingRequested } from '@os-hypervisors/observability/observer';
import { importSummaryLine, progressRenderer } from './import-progress.js';


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
 * `--nova-conf` / `--nova-api-db` and `--nova-cell-db` as the storage-nova backend takes them (loaded
 * only when used). Messages never carry a password.
 */
const novaDatabases = async (command: ServeCommand): Promise<ServerOptions['nova']> => {
  if (command.novaConf === undefined && command.novaApiDb === undefined) return undefined;
  const { novaDatabasesFromConf, parseCellOverride, toDriverUrl } = await import('@os-hypervisors/storage-nova');
  const cellUrls = new Map<string, string>();
  for (const text of command.novaCellDbs ?? []) {
    const parsed = parseCellOverride(text);
    if (isLeft(parsed)) throw new Error(`--nova-cell-db: ${parsed.left}`);
    cellUrls.set(...parsed.right);
  }
  if (command.novaApiDb !== undefined) {
    const checked = toDriverUrl(command.novaApiDb);
    if (isLeft(checked)) throw new Error(`--nova-api-db: ${checked.left}`);
    return { apiDatabase: command.novaApiDb, cellUrls };
  }
  const files = await Promise.all((command.novaConf ?? []).map(async (name) => ({ name, text: await readText('--nova-conf', name) })));
  const found = novaDatabasesFromConf(files, cellUrls);
  if (isLeft(found)) throw new Error(`--nova-conf: ${found.left}`);
  return found.right;
};

/**
 * `--auth keystone`: the service's credentials from a clouds.yaml entry (`--os-cloud`, or `OS_CLOUD`) or the
 * `OS_*` variables, as the OpenStack clients find them. Errors name the missing setting, never a password.
 */
const keystoneOptions = async (flags: KeystoneFlags, env: NodeJS.ProcessEnv, warn: (message: string) => void): Promise<KeystoneServerOptions> => {
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
      if (e.message !== lastError) warn(`answering 503: ${e.message}`);
      lastError = e.message;
    },
  };
};

const serve = async (command: ServeCommand): Promise<void> => {
  // The logger first, so start-up problems are logged in the format asked for.
  const { createLogger } = await import('@os-hypervisors/observability/logging');
  const logger = await createLogger({ format: command.logFormat, level: command.logLevel });
  // The trace SDK (and its exporter) only when the standard OTEL_* variables ask for it.
  const tracing = tracingRequested() ? await (await import('@os-hypervisors/observability/tracing-sdk')).startTracing() : undefined;
  for (const warning of tracing?.warnings ?? []) logger.warn({ component: 'tracing' }, `configuration warning: ${warning}`);
  const nova = await novaDatabases(command);
  let running: RunningServer;
  try {
    running = await startServer({
    ...(nova === undefined ? {} : { nova }),
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
    logger,
    tracing: tracing !== undefined,
    ...(command.metricsPort === undefined ? {} : { metrics: { port: command.metricsPort, host: command.metricsHost, path: command.metricsPath } }),
    limits: command.limits,
    ...(command.auth === undefined ? {} : { auth: command.auth }),
    ...(command.auth === 'keystone' ? { keystone: await keystoneOptions(command.keystone ?? {}, process.env, (m) => logger.warn({ component: 'keystone' }, m)) } : {}),
  });
  } catch (e) {
    await tracing?.shutdown();
    throw e;
  }
  const server = running;
  // Legal but suspicious policy rules (a rule: to an unknown name, a check no caller can pass, …).
  for (const warning of server.policyWarnings) logger.warn({ component: 'policy' }, `policy warning: ${warning}`);
  if (server.storageWarning !== undefined) logger.warn({ component: 'storage' }, server.storageWarning);
  logger.info({
    url: server.url,
    framework: command.framework,
    profile: command.profile,
    auth: command.auth ?? (command.trustKeystoneHeaders ? 'trusted-headers' : 'noauth2'),
    storage: nova !== undefined ? 'nova databases' : command.db === undefined ? (command.dataFile ?? 'bundled sample') : redactUrl(command.db),
    ...(server.metricsUrl === undefined ? {} : { metrics: `${server.metricsUrl}${command.metricsPath}`, readiness: `${server.metricsUrl}/readyz` }),
    ...(tracing === undefined ? {} : { traces: tracing.exporters.join(', ') }),
  }, `os-hypervisors listening on ${server.url}`);
  const stop = (signal: string) => {
    // Stop accepting, let in-flight requests finish (those past --shutdown-timeout get a 503), exit 0.
    logger.info({ signal }, 'stopping: no new connections, finishing in-flight requests');
    void server.shutdown().then(async (finished) => {
      logger.info({ finished }, finished ? 'stopped' : 'stopped; requests still running at the shutdown limit were answered 503');
      await tracing?.shutdown();
      process.exit(0);
    });
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
      const json = await readJson(command.right.dataFile);
      const progress = progressRenderer({ output: process.stderr });
      const started = performance.now();
      const imported = await importDatasetFromUrl(command.right.db, json, { onProgress: progress.onProgress });
      progress.finish();
      if (isLeft(imported)) throw new Error(imported.left);
      console.log(importSummaryLine(imported.right, redactUrl(command.right.db), performance.now() - started, progress.rowsWritten()));
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
    // Never echo a database password back, even inside a driver's connection error.
    console.error(`os-hypervisors-server: ${redactSecrets(message)}`);
    process.exit(1);
  },
);
