import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset } from '@os-hypervisors/core';
import { PYTHON } from '../python.js';

/** packages/testing/python/nova_db.py: drives Nova's own nova-manage functions and DB API (see its docstring). */
export const NOVA_DB_SCRIPT = fileURLToPath(new URL('../../python/nova_db.py', import.meta.url));

export type NovaDialect = 'sqlite' | 'mariadb' | 'postgres';
export type CellName = 'cell1' | 'cell2';

export interface DatabaseServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
}

export const DEFAULT_SERVERS: Readonly<Record<Exclude<NovaDialect, 'sqlite'>, DatabaseServer>> = {
  mariadb: { host: process.env.OSH_MARIADB_HOST ?? '127.0.0.1', port: Number(process.env.OSH_MARIADB_PORT ?? 3306), user: process.env.OSH_MARIADB_USER ?? 'root' },
  postgres: { host: process.env.OSH_PG_HOST ?? '127.0.0.1', port: Number(process.env.OSH_PG_PORT ?? 5432), user: process.env.OSH_PG_USER ?? 'postgres' },
};

export interface BuildNovaDatabasesOptions {
  readonly dialect: NovaDialect;
  readonly dataset: Dataset;
  /**
   * The cell each host is in: 'cell1' | 'cell2', or null for a host without a host mapping ("unmapped":
   * its rows still live in a cell database, `unmappedIn`). Default: hosts sorted by name alternate
   * cell1, cell2, cell1, …
   */
  readonly cellOf?: (host: string) => CellName | null;
  /** The cell database an unmapped host's rows are written to (default cell1). */
  readonly unmappedIn?: CellName;
  /** The cell database rows without a host (a node or instance with host NULL) go to (default cell1). */
  readonly hostlessIn?: CellName;
  /** Nova's clock while rows are written (created_at defaults, deleted_at of soft-deleted rows). */
  readonly now?: Date;
  /** Database server for mariadb/postgres; defaults to the loopback servers CI starts. */
  readonly server?: DatabaseServer;
  /** Create a user/role that may only SELECT (mariadb/postgres; default true). */
  readonly readOnlyUser?: boolean;
  /** Migrate even when a cached migrated schema exists (the cache is then refreshed). */
  readonly noCache?: boolean;
  /** Nova's log on stderr. */
  readonly verbose?: boolean;
}

export interface NovaCell {
  readonly name: string;
  readonly uuid: string;
  /** `cell_mappings.database_connection` as Nova stores it. */
  readonly url: string;
}

export type NovaDatabaseName = 'api' | 'cell0' | CellName;

export interface ReadOnlyUser {
  readonly user: string;
  readonly password: string;
  readonly sqlalchemyUrls: Readonly<Record<NovaDatabaseName, string>>;
  /** A nova.conf naming the databases as this user (cell_mappings still carry the owner's URLs). */
  readonly novaConfPath: string;
}

/** A live change to built databases, written as Nova writes it (Nova's objects / DB API). */
export type NovaDbChange =
  | { readonly op: 'disableService'; readonly host: string; readonly binary?: string; readonly reason?: string | null }
  | { readonly op: 'enableService'; readonly host: string; readonly binary?: string }
  | { readonly op: 'addComputeNode'; readonly node: Dataset['compute_nodes'][number] | Omit<Dataset['compute_nodes'][number], 'id'>; readonly cell?: CellName }
  | { readonly op: 'addService'; readonly service: Omit<Dataset['services'][number], 'id'> & { id?: number }; readonly cell: CellName }
  | { readonly op: 'setAggregateMetadata'; readonly aggregate: number | string; readonly metadata: Readonly<Record<string, string | null>> }
  | { readonly op: 'addAggregateHost' | 'removeAggregateHost'; readonly aggregate: number; readonly host: string }
  | { readonly op: 'softDelete'; readonly table: 'services' | 'compute_nodes'; readonly id: number; readonly cell: CellName }
  | { readonly op: 'softDelete'; readonly table: 'instances'; readonly uuid: string; readonly cell: CellName }
  | { readonly op: 'removeHostMapping'; readonly host: string }
  /** `nova-manage cell_v2 update_cell --database_connection`: e.g. point a cell at a database that is down. */
  | { readonly op: 'updateCell'; readonly cell: CellName; readonly databaseConnection: string }
  | { readonly op: 'addHostMapping'; readonly host: string; readonly cell: CellName };

export interface NovaDatabases {
  readonly dialect: NovaDialect;
  readonly nova: string;
  /** `[api_database] connection`. */
  readonly apiUrl: string;
  /** cell0, cell1, cell2 as mapped in `cell_mappings` (sorted by name). */
  readonly cells: ReadonlyArray<NovaCell>;
  /** An operator's nova.conf: `[api_database] connection` and `[database] connection` (cell1). */
  readonly novaConfPath: string;
  readonly sqlalchemyUrls: Readonly<Record<NovaDatabaseName, string>>;
  /** Each host and its host mapping's cell (null: unmapped). */
  readonly hostCells: Readonly<Record<string, CellName | null>>;
  /** Each host and the cell database holding its rows. */
  readonly rowCells: Readonly<Record<string, CellName>>;
  readonly readOnlyUser?: ReadOnlyUser;
  /** Whether the migrated schema came from the cache; seconds spent per step. */
  readonly cached: boolean;
  readonly timings: Readonly<Record<string, number>>;
  /** Apply live changes in order; each answers what Nova created (ids, uuid, cell). */
  mutate(changes: ReadonlyArray<NovaDbChange>): Promise<ReadonlyArray<Record<string, unknown>>>;
  /** Drop the databases, the read-only user and the work directory. */
  drop(): Promise<void>;
}

interface BuildResult {
  nova: string; cached: boolean; apiUrl: string; cells: NovaCell[]; novaConfPath: string;
  sqlalchemyUrls: Record<NovaDatabaseName, string>; hostCells: Record<string, CellName | null>;
  rowCells: Record<string, CellName>; readOnlyUser?: ReadOnlyUser; timings: Record<string, number>;
}

/** Runs nova_db.py; resolves with its one JSON line, rejects with Nova's stderr. */
export const runNovaDbScript = <T>(args: ReadonlyArray<string>): Promise<T> =>
  new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [NOVA_DB_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err = (err + d).slice(-30_000); });
    child.once('error', reject);
    child.once('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line !== '') {
        try { resolve(JSON.parse(line) as T); return; } catch { /* reported below */ }
      }
      reject(new Error(`nova_db.py ${args[0]} exited ${code}:\n${err}`));
    });
  });

const hostsOf = (dataset: Dataset): string[] => {
  const hosts = new Set<string>();
  for (const row of [...dataset.services, ...dataset.compute_nodes, ...dataset.instances]) {
    if (typeof row.host === 'string' && row.host !== '') hosts.add(row.host);
  }
  return [...hosts].sort();
};

/**
 * Nova's own databases for a test: an API database, cell0 and two cells made by Nova's migrations and
 * nova-manage's cell_v2 functions, filled with `dataset` through Nova's DB API and objects. Database names
 * are unique per call; `drop()` removes them.
 */
export const buildNovaDatabases = async (options: BuildNovaDatabasesOptions): Promise<NovaDatabases> => {
  const workdir = mkdtempSync(join(tmpdir(), 'nova-db-'));
  const prefix = `osh_nova_${randomBytes(5).toString('hex')}`;
  const server = options.dialect === 'sqlite' ? undefined : (options.server ?? DEFAULT_SERVERS[options.dialect]);
  const cellOf = options.cellOf === undefined
    ? undefined
    : Object.fromEntries(hostsOf(options.dataset).map((h) => [h, options.cellOf!(h)]));
  const datasetPath = join(workdir, 'dataset.json');
  writeFileSync(datasetPath, JSON.stringify(options.dataset));
  const spec = {
    dialect: options.dialect, workdir, prefix, server, dataset: datasetPath, cellOf,
    unmappedIn: options.unmappedIn, hostlessIn: options.hostlessIn,
    now: options.now?.toISOString().slice(0, 19), readOnlyUser: options.readOnlyUser ?? true,
    noCache: options.noCache ?? false, verbose: options.verbose ?? false,
  };
  const specPath = join(workdir, 'spec.json');
  writeFileSync(specPath, JSON.stringify(spec));
  const dropAll = (): Promise<void> => runNovaDbScript<unknown>(['drop', '--spec', specPath]).then(() => undefined);
  let built: BuildResult;
  try {
    built = await runNovaDbScript<BuildResult>(['build', '--spec', specPath]);
  } catch (e) {
    await dropAll().catch(() => rmSync(workdir, { recursive: true, force: true }));
    throw e;
  }
  let changes = 0;
  return {
    dialect: options.dialect,
    ...built,
    mutate: async (ops) => {
      const opsPath = join(workdir, `ops-${changes++}.json`);
      writeFileSync(opsPath, JSON.stringify(ops));
      const args = ['mutate', '--spec', opsPath, '--conf', built.novaConfPath, ...(options.verbose ? ['--verbose'] : [])];
      const out = await runNovaDbScript<{ results: Array<Record<string, unknown>> }>(args);
      return out.results;
    },
    drop: dropAll,
  };
};

/**
 * Whether buildNovaDatabases can run here for `dialect`, and why not: Debian's python3-nova importable by
 * PYTHON, and for mariadb/postgres the server answering on its loopback port.
 */
export const novaDatabasesAvailability = (dialect: NovaDialect, server?: DatabaseServer): { ok: true } | { ok: false; reason: string } => {
  const probe = ['import nova.cmd.manage'];
  if (dialect !== 'sqlite') {
    const s = server ?? DEFAULT_SERVERS[dialect];
    const args = JSON.stringify({ host: s.host, port: s.port, user: s.user, password: s.password ?? '' });
    probe.push(dialect === 'mariadb'
      ? `import json, pymysql; a = json.loads(${JSON.stringify(args)}); pymysql.connect(host=a['host'], port=a['port'], user=a['user'], password=a['password'], connect_timeout=5).close()`
      : `import json, psycopg2; a = json.loads(${JSON.stringify(args)}); psycopg2.connect(host=a['host'], port=a['port'], user=a['user'], password=a['password'] or None, dbname='postgres', connect_timeout=5).close()`);
  }
  const run = spawnSync(PYTHON, ['-c', probe.join('\n')], { encoding: 'utf8', timeout: 120_000 });
  if (run.error) return { ok: false, reason: `${PYTHON} cannot run (${run.error.message})` };
  if (run.status !== 0) return { ok: false, reason: `${dialect}: ${(run.stderr.trim().split('\n').pop() ?? '').slice(0, 300)}` };
  return { ok: true };
};
