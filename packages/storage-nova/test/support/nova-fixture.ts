import { spawnSync } from 'node:child_process';
import type { Dataset } from '@os-hypervisors/core';
import { openNovaStorage, type NovaStorage } from '@os-hypervisors/storage-nova';
import { buildNovaDatabases, PYTHON, type BuildNovaDatabasesOptions, type NovaDatabases } from '@os-hypervisors/testing';

/** Nova (Debian's python3-nova) can build databases here; under CI it must (.ci/run installs it). */
const novaHere = spawnSync(PYTHON, ['-c', 'import nova.cmd.manage'], { timeout: 120_000 }).status === 0;
const mustRun = Boolean(process.env.CI) || process.env.OSH_REQUIRE_DB === '1';
export const SKIP_NOVA = !novaHere && !mustRun;
if (SKIP_NOVA) console.warn(`storage-nova tests skipped: ${PYTHON} cannot import nova (apt-get install python3-nova)`);

/** Whether the loopback database server CI starts is up (else its tests skip, unless they must run). */
const serverUp = (dialect: 'mariadb' | 'postgres'): boolean =>
  (dialect === 'mariadb'
    ? spawnSync('mariadb', ['-h', '127.0.0.1', '-P', '3306', '-uroot', '-e', 'select 1'], { timeout: 10_000 })
    : spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432'], { timeout: 10_000 })
  ).status === 0;
export const skipServer = (dialect: 'mariadb' | 'postgres'): boolean => SKIP_NOVA || (!serverUp(dialect) && !mustRun);

/** Nova's schema refuses what our datasets allow: a NULL cpu_info (NOT NULL there). */
export const novaValid = (dataset: Dataset): Dataset => ({
  ...dataset,
  compute_nodes: dataset.compute_nodes.map((n) => ({ ...n, cpu_info: n.cpu_info ?? '' })),
  // Nova's Aggregate object refuses to load a row without a uuid (it would generate one on create).
  // Nova's InstanceMapping needs a user.
  instances: dataset.instances.map((i) => ({ ...i, user_id: i.user_id ?? 'unknown' })),
  aggregates: dataset.aggregates.map((a) => ({ ...a, uuid: a.uuid ?? `a0000000-0000-4000-8000-${String(a.id).padStart(12, '0')}` })),
});

export interface NovaUnderTest {
  readonly dbs: NovaDatabases;
  readonly storage: NovaStorage;
  close(): Promise<void>;
}

/**
 * Nova's own databases (API, cell0, cell1, cell2 by Nova's migrations, rows written by Nova's objects:
 * the novadb harness) holding `dataset`, and a NovaStorage over them, opened from the nova.conf
 * the harness writes, exactly as an operator would point the server at it.
 */
export const novaOver = async (dataset: Dataset, options: Omit<BuildNovaDatabasesOptions, 'dataset' | 'dialect'> & { dialect?: BuildNovaDatabasesOptions['dialect'] } = {}): Promise<NovaUnderTest> => {
  const dbs = await buildNovaDatabases({ dialect: 'sqlite', readOnlyUser: false, ...options, dataset: novaValid(dataset) });
  try {
    const storage = await openNovaStorage({ apiDatabase: dbs.apiUrl });
    return { dbs, storage, close: async () => { await storage.close(); await dbs.drop(); } };
  } catch (error) {
    await dbs.drop();
    throw error;
  }
};
