import type { Dataset } from '@os-hypervisors/core';
import { importDataset, importDatasetFromUrl, MIGRATION_TABLE, openSqlStorage, type SqlStorage } from '@os-hypervisors/storage-sql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_DATASET } from '../../storage-memory/test/contract/contract-fixture.js';
import { scaledDataset } from './support/scaled-dataset.js';
import { describeOnServer, type ServerKind, type TestDatabase } from './support/test-servers.js';

const ALL = { kind: 'all' } as const;

const nodeCount = async (storage: SqlStorage): Promise<number> => {
  const nodes = await storage.listNodes({ visibility: ALL })();
  if (nodes._tag === 'Left') throw new Error(nodes.left.message);
  return nodes.right.length;
};

/** Past MySQL's TEXT (64 KB), multi-byte; 60 nodes of it are over MariaDB's default max_allowed_packet (16 MB) in all. */
const BIG_CPU_INFO = `{"flags": "${'é'.repeat(150_000)}"}`;
const bigTexts = (): Dataset => {
  const base = scaledDataset(60);
  return {
    ...base,
    services: base.services.map((s) => ({ ...s, uptime: ` 03:04:05 up 1 day, load average: ${'0'.repeat(70_000)}` })),
    compute_nodes: base.compute_nodes.map((n) => ({ ...n, cpu_info: `${n.id}${BIG_CPU_INFO}` })),
  };
};

/** The contract dataset with one node changed. */
const withNode0 = (fields: Record<string, unknown>): Dataset => ({
  ...CONTRACT_DATASET,
  compute_nodes: CONTRACT_DATASET.compute_nodes.map((n, i) => (i === 0 ? { ...n, ...fields } : n)),
});

for (const kind of ['sqlite', 'postgres', 'mariadb'] as const satisfies ReadonlyArray<ServerKind>) {
  await describeOnServer(kind, (server) => {
    describe(`import: ${kind}`, () => {
      let database: TestDatabase;
      let storage: SqlStorage;
      beforeAll(async () => {
        database = await server.createDatabase();
        const imported = await importDatasetFromUrl(database.url, scaledDataset(30));
        expect(imported).toEqual({ _tag: 'Right', right: { services: 30, compute_nodes: 30, aggregates: 1, instances: 60 } });
        storage = await openSqlStorage(database.url);
      });
      afterAll(async () => {
        await storage?.close();
        await database?.drop();
      });

      it('creates the schema and records its version', async () => {
        const { rows } = await sql<{ name: string }>`select ${sql.ref('name')} from ${sql.table(MIGRATION_TABLE)}`.execute(storage.db);
        expect(rows.map((r) => r.name)).toEqual(['0001_initial', '0002_mysql_mediumtext']);
        expect(await nodeCount(storage)).toBe(30);
      });

      it('migrating again is a no-op (every replica migrates on start)', async () => {
        const again = await openSqlStorage(database.url);
        await again.close();
        expect(await nodeCount(storage)).toBe(30);
      });

      it('refuses a file that is not a dataset, naming row and field, and imports nothing', async () => {
        const bad = { ...CONTRACT_DATASET, compute_nodes: [...CONTRACT_DATASET.compute_nodes, { id: 99, hypervisor_type: 'QEMU', vcpus: '8' }] };
        const result = await importDatasetFromUrl(database.url, bad);
        expect(result._tag).toBe('Left');
        expect(result._tag === 'Left' && result.left).toContain('compute_nodes[12] (id 99).vcpus: expected number, got "8"');
        expect(await nodeCount(storage)).toBe(30);
      });

      it.each([
        ['a value longer than its column', withNode0({ host_ip: 'x'.repeat(40) }), 'compute_nodes[0] (id 5).host_ip: longer than 39 characters (40)'],
        ['a fraction in an integer column', withNode0({ vcpus: 1.5 }), 'compute_nodes[0] (id 5).vcpus: expected a 32-bit integer, got 1.5'],
        ['an integer beyond 32 bits', withNode0({ memory_mb: 2 ** 31 }), 'compute_nodes[0] (id 5).memory_mb: expected a 32-bit integer, got 2147483648'],
        ['a NUL character', withNode0({ cpu_info: 'a\u0000b' }), 'compute_nodes[0] (id 5).cpu_info: contains a NUL character'],
        ['a text over 16 MB (MySQL MEDIUMTEXT)', withNode0({ cpu_info: 'x'.repeat(2 ** 24) }), 'compute_nodes[0] (id 5).cpu_info: longer than 16777215 bytes in UTF-8 (16777216)'],
        [
          'a text over 16 MB in UTF-8 but not in characters',
          { ...CONTRACT_DATASET, services: CONTRACT_DATASET.services.map((s, i) => (i === 0 ? { ...s, uptime: 'é'.repeat(2 ** 23) } : s)) },
          'services[0] (id 6).uptime: longer than 16777215 bytes in UTF-8 (16777216)',
        ],
        ['a long hypervisor_hostname (named once, by its own field)', withNode0({ hypervisor_hostname: 'h'.repeat(256) }), 'compute_nodes[0] (id 5).hypervisor_hostname: longer than 255 characters (256)'],
        [
          'an aggregate host too long',
          { ...CONTRACT_DATASET, aggregates: [{ id: 1, name: 'a', hosts: ['ok', 'h'.repeat(300)] }] },
          'aggregates[0] (id 1).hosts[1]: longer than 255 characters (300)',
        ],
      ] as const)('refuses %s before writing anything', async (_label, dataset, message) => {
        const result = await importDatasetFromUrl(database.url, dataset);
        expect(result._tag === 'Left' && result.left.split('; ')[0]).toBe(message);
        expect(await nodeCount(storage)).toBe(30);
      });

      it('a failure inside the transaction rolls everything back', async () => {
        // Bypasses decodeDataset on purpose: the unique key on live (host, binary) fails mid-import,
        // after the old rows were deleted and the first inserts ran.
        const clash: Dataset = { ...scaledDataset(5), services: [...scaledDataset(5).services, { id: 100, host: 'host1', binary: 'nova-compute' }] };
        const result = await importDataset(storage.db, clash);
        expect(result._tag === 'Left' && result.left).toMatch(/^import failed, nothing was imported: /);
        expect(await nodeCount(storage)).toBe(30);
      });

      it('stores text columns past 64 KB exactly, in INSERTs that fit the packet limit', async () => {
        const big = await server.createDatabase();
        const other = await openSqlStorage(big.url);
        try {
          const dataset = bigTexts();
          expect(await importDataset(other.db, dataset)).toMatchObject({ _tag: 'Right' });
          const nodes = await other.listNodes({ visibility: ALL })();
          expect(nodes._tag === 'Right' && nodes.right.map((n) => [n.node.cpu_info, n.service?.uptime])).toEqual(
            dataset.compute_nodes.map((n, i) => [n.cpu_info, dataset.services[i]?.uptime]),
          );
        } finally {
          await other.close();
          await big.drop();
        }
      });

      it('a good file replaces the contents', async () => {
        const other = await openSqlStorage(database.url);
        try {
          expect(await importDataset(other.db, CONTRACT_DATASET)).toMatchObject({ _tag: 'Right' });
          expect(await nodeCount(storage)).toBe(11);
        } finally {
          await other.close();
        }
      });
    });
  });
}

describe('importDatasetFromUrl', () => {
  it('refuses an unknown URL scheme', async () => {
    expect(await importDatasetFromUrl('oracle://db/x', CONTRACT_DATASET)).toEqual({
      _tag: 'Left',
      left: 'unsupported database URL scheme "oracle": use postgres://, mysql:// or sqlite:FILE',
    });
  });
});
