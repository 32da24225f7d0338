import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLive } from '@os-hypervisors/core';
import { buildNovaDatabases, novaDatabasesAvailability, type NovaDatabaseName, type NovaDatabases, type NovaDialect } from '@os-hypervisors/testing';
import { DATASET, NOW } from '../../server/test/differential/dataset.js';

/**
 * The builder's databases, read back with plain drivers (not through Nova): made by Nova's migrations
 * (alembic_version at head in each), two cells and cell0 mapped, the dataset's rows in the cell the host
 * mapping names, one unmapped host, soft-deleted rows as Nova writes them, live changes, a read-only user.
 */

const mustRun = Boolean(process.env.CI) || process.env.OSH_REQUIRE_DB === '1';

type Row = Record<string, unknown>;
type Query = (db: NovaDatabaseName, sql: string) => Promise<Row[]>;

/** A reader over a build's SQLAlchemy URLs, as any client would open them. */
const readerFor = (dialect: NovaDialect, urls: Readonly<Record<NovaDatabaseName, string>>): { query: Query; close: () => Promise<void> } => {
  if (dialect === 'sqlite') {
    const dbs = new Map<NovaDatabaseName, Database.Database>();
    return {
      query: async (db, sql) => {
        if (!dbs.has(db)) dbs.set(db, new Database(urls[db].slice('sqlite:///'.length), { readonly: true, fileMustExist: true }));
        return dbs.get(db)!.prepare(sql).all() as Row[];
      },
      close: async () => { for (const d of dbs.values()) d.close(); },
    };
  }
  if (dialect === 'mariadb') {
    const conns = new Map<NovaDatabaseName, mysql.Connection>();
    return {
      query: async (db, sql) => {
        if (!conns.has(db)) conns.set(db, await mysql.createConnection(new URL(urls[db].replace(/^mysql\+pymysql:/, 'mysql:')).href.replace(/\?.*$/, '')));
        const [rows] = await conns.get(db)!.query(sql);
        return rows as Row[];
      },
      close: async () => { for (const c of conns.values()) await c.end(); },
    };
  }
  const clients = new Map<NovaDatabaseName, pg.Client>();
  return {
    query: async (db, sql) => {
      if (!clients.has(db)) {
        const client = new pg.Client({ connectionString: urls[db].replace(/^postgresql\+psycopg2:/, 'postgresql:') });
        await client.connect();
        clients.set(db, client);
      }
      return (await clients.get(db)!.query(sql)).rows as Row[];
    },
    close: async () => { for (const c of clients.values()) await c.end(); },
  };
};

const CELL0 = '00000000-0000-0000-0000-000000000000';
const UNMAPPED = 'compute3';
const hostsOf = (): string[] =>
  [...new Set([...DATASET.services, ...DATASET.compute_nodes, ...DATASET.instances].flatMap((r) => (r.host ? [r.host] : [])))].sort();
const n = (v: unknown): number => Number(v);

for (const dialect of ['sqlite', 'mariadb', 'postgres'] as const) {
  const availability = novaDatabasesAvailability(dialect);
  if (!availability.ok && !mustRun) console.warn(`nova-db ${dialect} tests skipped: ${availability.reason}`);
  describe.skipIf(!availability.ok && !mustRun)(`Nova's own databases on ${dialect}`, () => {
    let built: NovaDatabases;
    let reader: ReturnType<typeof readerFor>;
    const q: Query = (db, sql) => reader.query(db, sql);
    const cellDbs = ['cell1', 'cell2'] as const;
    const count = async (table: string, where = '1=1'): Promise<number> => {
      let total = 0;
      for (const cell of cellDbs) total += n((await q(cell, `SELECT COUNT(*) AS c FROM ${table} WHERE ${where}`))[0]!.c);
      return total;
    };

    beforeAll(async () => {
      built = await buildNovaDatabases({ dialect, dataset: DATASET, now: NOW, cellOf: (h) => (h === UNMAPPED ? null : h === 'compute2' ? 'cell2' : h === 'ironic1' ? 'cell2' : 'cell1') });
      reader = readerFor(dialect, built.sqlalchemyUrls);
    }, 600_000);
    afterAll(async () => {
      await reader?.close();
      await built?.drop();
    }, 120_000);

    it('writes an operator nova.conf naming the API database and a cell database', async () => {
      const { readFileSync } = await import('node:fs');
      const conf = readFileSync(built.novaConfPath, 'utf8');
      expect(conf).toContain(`[api_database]\nconnection = ${built.apiUrl}\n`);
      expect(conf).toContain(`[database]\nconnection = ${built.sqlalchemyUrls.cell1}\n`);
    });

    it('ran Nova\'s migrations in the API database and every cell database', async () => {
      for (const db of ['api', 'cell0', 'cell1', 'cell2'] as const) {
        const versions = await q(db, 'SELECT version_num FROM alembic_version');
        expect(versions, db).toHaveLength(1);
      }
      // The API and the cell schemas are Nova's own (a table only each of them has).
      expect(await q('api', 'SELECT * FROM cell_mappings')).toHaveLength(3);
      expect(await q('cell0', 'SELECT * FROM compute_nodes')).toEqual([]);
    });

    it('maps cell0 and two cells, as cell_v2 map_cell0 / create_cell do', async () => {
      const rows = await q('api', 'SELECT uuid, name, database_connection, transport_url FROM cell_mappings ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(['cell0', 'cell1', 'cell2']);
      expect(rows[0]!.uuid).toBe(CELL0);
      expect(rows.map((r) => r.database_connection)).toEqual([built.sqlalchemyUrls.cell0, built.sqlalchemyUrls.cell1, built.sqlalchemyUrls.cell2]);
      expect(built.cells.map((c) => [c.name, c.uuid, c.url])).toEqual(rows.map((r) => [r.name, r.uuid, r.database_connection]));
      expect(new Set(rows.map((r) => r.uuid)).size).toBe(3);
    });

    it('maps every host but the unmapped one to the cell holding its rows', async () => {
      const mappings = await q('api', 'SELECT h.host, c.name FROM host_mappings h JOIN cell_mappings c ON c.id = h.cell_id ORDER BY h.host');
      const expected = hostsOf().filter((h) => h !== UNMAPPED);
      expect(mappings.map((m) => m.host)).toEqual(expected);
      expect(built.hostCells[UNMAPPED]).toBeNull();
      for (const m of mappings) {
        const cell = m.name as 'cell1' | 'cell2';
        expect(built.hostCells[m.host as string]).toBe(cell);
        const other = cell === 'cell1' ? 'cell2' : 'cell1';
        const here = await q(cell, `SELECT COUNT(*) AS c FROM services WHERE host = '${m.host}'`);
        const there = await q(other, `SELECT COUNT(*) AS c FROM services WHERE host = '${m.host}'`);
        expect(n(here[0]!.c), `${m.host} in ${cell}`).toBeGreaterThan(0);
        expect(n(there[0]!.c)).toBe(0);
      }
      // Both cells hold hosts; the unmapped host's rows live in a cell all the same.
      expect(new Set(mappings.map((m) => m.name))).toEqual(new Set(['cell1', 'cell2']));
      expect(await count('compute_nodes', `host = '${UNMAPPED}'`)).toBe(1);
    });

    it('holds every dataset row, the soft-deleted ones with deleted = id as Nova writes them', async () => {
      for (const [table, rows] of [['services', DATASET.services], ['compute_nodes', DATASET.compute_nodes], ['instances', DATASET.instances]] as const) {
        expect(await count(table), table).toBe(rows.length);
        expect(await count(table, 'deleted = 0'), table).toBe(rows.filter(isLive).length);
        expect(await count(table, 'deleted = id AND deleted_at IS NOT NULL'), table).toBe(rows.filter((r) => !isLive(r)).length);
      }
      const ids = [];
      for (const cell of cellDbs) ids.push(...(await q(cell, 'SELECT id FROM compute_nodes')).map((r) => n(r.id)));
      expect(ids.sort((a, b) => a - b)).toEqual(DATASET.compute_nodes.map((r) => r.id).sort((a, b) => a - b));
      const node1 = (await q(built.hostCells.compute1!, 'SELECT hypervisor_hostname, cpu_info, vcpus, service_id FROM compute_nodes WHERE id = 1'))[0]!;
      const want = DATASET.compute_nodes.find((r) => r.id === 1)!;
      expect([node1.hypervisor_hostname, node1.cpu_info, n(node1.vcpus), n(node1.service_id)]).toEqual([want.hypervisor_hostname, want.cpu_info, want.vcpus, want.service_id]);
    });

    it('writes aggregates, their hosts and metadata into the API database', async () => {
      const live = DATASET.aggregates.filter(isLive);
      expect((await q('api', 'SELECT id FROM aggregates ORDER BY id')).map((r) => n(r.id))).toEqual(live.map((a) => a.id));
      expect(n((await q('api', 'SELECT COUNT(*) AS c FROM aggregate_hosts'))[0]!.c)).toBe(live.reduce((s, a) => s + (a.hosts?.length ?? 0), 0));
      const meta = await q('api', "SELECT value FROM aggregate_metadata WHERE aggregate_id = 1 AND \"key\" = 'filter_tenant_id'".replace(/"/g, dialect === 'mariadb' ? '`' : '"'));
      expect(meta.map((m) => m.value)).toEqual([DATASET.aggregates[0]!.metadata!.filter_tenant_id]);
    });

    it('applies live changes as Nova writes them', async () => {
      const cell1Host = built.hostCells.compute1!;
      const [, added] = await built.mutate([
        { op: 'disableService', host: 'compute1', reason: 'drained' },
        { op: 'addComputeNode', node: { host: 'compute1', hypervisor_hostname: 'added.example.com', hypervisor_type: 'QEMU', hypervisor_version: 1, vcpus: 2, memory_mb: 1024, local_gb: 10, vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0, cpu_info: '{}', service_id: 1 } },
        { op: 'setAggregateMetadata', aggregate: 2, metadata: { ssd: 'false', availability_zone: null } },
        { op: 'softDelete', table: 'compute_nodes', id: 9, cell: built.rowCells.compute8! },
        { op: 'removeHostMapping', host: 'compute4' },
      ]);
      const svc = (await q(cell1Host, "SELECT disabled, disabled_reason FROM services WHERE host = 'compute1' AND `binary` = 'nova-compute'".replace(/`/g, dialect === 'mariadb' ? '`' : '"')))[0]!;
      expect([Boolean(n(svc.disabled)), svc.disabled_reason]).toEqual([true, 'drained']);
      expect(added).toMatchObject({ cell: cell1Host });
      expect(await q(cell1Host, `SELECT hypervisor_hostname FROM compute_nodes WHERE id = ${n(added!.id)} AND deleted = 0`)).toEqual([{ hypervisor_hostname: 'added.example.com' }]);
      const meta = await q('api', 'SELECT * FROM aggregate_metadata WHERE aggregate_id = 2');
      expect(meta.map((m) => [m.key, m.value])).toEqual([['ssd', 'false']]);
      expect(await q(built.rowCells.compute8!, 'SELECT id FROM compute_nodes WHERE id = 9 AND deleted = 9')).toHaveLength(1);
      expect(await q('api', "SELECT * FROM host_mappings WHERE host = 'compute4'")).toEqual([]);
    }, 120_000);

    it.skipIf(dialect === 'sqlite')('gives a read-only user that can SELECT and nothing more', async () => {
      const ro = built.readOnlyUser!;
      expect(ro.user).not.toBe(dialect === 'mariadb' ? 'root' : 'postgres');
      const roReader = readerFor(dialect, ro.sqlalchemyUrls);
      try {
        expect(await roReader.query('api', 'SELECT name FROM cell_mappings ORDER BY name')).toHaveLength(3);
        for (const db of ['cell1', 'cell2'] as const) expect((await roReader.query(db, 'SELECT id FROM compute_nodes')).length).toBeGreaterThan(0);
        await expect(roReader.query('cell1', "UPDATE services SET disabled_reason = 'x'")).rejects.toThrow(/denied/i);
        await expect(roReader.query('api', 'DELETE FROM host_mappings')).rejects.toThrow(/denied/i);
        await expect(roReader.query('api', 'CREATE TABLE sneaky (id int)')).rejects.toThrow(/denied/i);
      } finally {
        await roReader.close();
      }
    });
  });
}

const EMPTY = { services: [], compute_nodes: [], aggregates: [], instances: [] };

/** Tables, columns, indexes and constraints as the database itself describes them. */
const schemaOf = async (dialect: 'sqlite' | 'mariadb', query: Query, db: NovaDatabaseName): Promise<string[]> => {
  if (dialect === 'sqlite') return (await query(db, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")).map((r) => JSON.stringify(r));
  const tables = (await query(db, 'SHOW TABLES')).map((r) => Object.values(r)[0] as string).sort();
  const out: string[] = [];
  for (const t of tables) {
    const ddl = String((await query(db, `SHOW CREATE TABLE \`${t}\``))[0]!['Create Table']).replace(/ AUTO_INCREMENT=\d+/, '');
    // Columns keep their order (it is the schema); MariaDB lists keys in creation order, which differs between
    // a migration that adds an index later and one CREATE TABLE naming it: compare the keys as a set.
    const lines = ddl.split('\n').map((l) => l.replace(/,$/, ''));
    const isKey = (l: string): boolean => /^\s+(PRIMARY KEY|UNIQUE KEY|KEY|CONSTRAINT) /.test(l);
    out.push([...lines.filter((l) => !isKey(l)), ...lines.filter(isKey).sort()].join('\n'));
  }
  return out;
};

for (const dialect of ['sqlite', 'mariadb'] as const) {
  describe.skipIf(!novaDatabasesAvailability(dialect).ok && !mustRun)(`the schema cache on ${dialect}`, () => {
    it('gives the schema Nova\'s migrations give', async () => {
      const fresh = await buildNovaDatabases({ dialect, dataset: EMPTY, noCache: true });
      const cached = await buildNovaDatabases({ dialect, dataset: EMPTY });
      const readers = [readerFor(dialect, fresh.sqlalchemyUrls), readerFor(dialect, cached.sqlalchemyUrls)] as const;
      try {
        expect([fresh.cached, cached.cached]).toEqual([false, true]);
        for (const db of ['api', 'cell0', 'cell1', 'cell2'] as const) {
          const [a, b] = [await schemaOf(dialect, readers[0].query, db), await schemaOf(dialect, readers[1].query, db)];
          expect(a.length, db).toBeGreaterThan(db === 'api' ? 20 : 50);
          expect(b, db).toEqual(a);
        }
      } finally {
        for (const r of readers) await r.close();
        await fresh.drop();
        await cached.drop();
      }
    }, 600_000);
  });
}

describe.skipIf(!novaDatabasesAvailability('sqlite').ok && !mustRun)('drop()', () => {
  it('removes what a build made', async () => {
    const built = await buildNovaDatabases({ dialect: 'sqlite', dataset: EMPTY });
    expect(existsSync(built.novaConfPath)).toBe(true);
    await built.drop();
    expect(existsSync(built.novaConfPath)).toBe(false);
  }, 300_000);
});
