import type { Dataset } from '@os-hypervisors/core';
import type { SqlStorage } from '@os-hypervisors/storage-sql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_SQL_MODE } from '../src/connection/mysql-pool.js';
import { describeOnServer, openImported, type ServerKind } from './support/test-servers.js';

const ALL = { kind: 'all' } as const;

/** Hostnames that break SQL built by string pasting, or that a LIKE reads as more than themselves. */
const HOSTNAMES = [
  "quote'name",
  'back\\slash',
  'per%cent',
  'under_score',
  "x' or 1=1 #",
  "x\\' or 1=1 -- ",
  'bang!mark',
  'plain',
] as const;

const dataset: Dataset = {
  services: HOSTNAMES.map((_, i) => ({ id: i + 1, host: `host${i + 1}`, binary: 'nova-compute' })),
  compute_nodes: HOSTNAMES.map((hostname, i) => ({
    id: i + 1, host: `host${i + 1}`, hypervisor_hostname: hostname, hypervisor_type: 'QEMU', hypervisor_version: 6002000,
    cpu_info: `{"model": "${hostname.replace(/["\\]/g, '\\$&')}"}`, vcpus: 8, memory_mb: 1024, local_gb: 10, vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0,
  })),
  aggregates: [],
  instances: HOSTNAMES.map((hostname, i) => ({ id: i + 1, uuid: `1a000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, host: `host${i + 1}`, display_name: hostname })),
};

const hostnamesMatching = async (storage: SqlStorage, pattern: string): Promise<string[]> => {
  const found = await storage.searchNodes(pattern, ALL)();
  if (found._tag === 'Left') throw new Error(found.left.message);
  return found.right.map((n) => n.node.hypervisor_hostname as string);
};

/**
 * Quotes, backslashes and LIKE wildcards are stored and matched as themselves. On MySQL/MariaDB that
 * depends on the session's sql_mode (mysql2 escapes values on the client with backslashes), which the
 * pool pins whatever the server's global mode: with NO_BACKSLASH_ESCAPES, `x' or 1=1 #` matched every node.
 */
for (const kind of ['sqlite', 'postgres', 'mariadb'] as const satisfies ReadonlyArray<ServerKind>) {
  await describeOnServer(kind, (server) => {
    describe(`literal strings: ${kind}`, () => {
      let subject: Awaited<ReturnType<typeof openImported>>;
      beforeAll(async () => {
        subject = await openImported(server, dataset);
      });
      afterAll(() => subject?.close());

      it('imports and reads back hostnames, cpu_info and names exactly', async () => {
        const nodes = await subject.storage.listNodes({ visibility: ALL })();
        expect(nodes._tag === 'Right' && nodes.right.map((n) => [n.node.hypervisor_hostname, n.node.cpu_info])).toEqual(
          dataset.compute_nodes.map((n) => [n.hypervisor_hostname, n.cpu_info]),
        );
        const servers = await subject.storage.instancesByHosts(dataset.instances.map((i) => i.host as string))();
        expect(servers._tag === 'Right' && [...servers.right.values()].flat().map((i) => i.display_name)).toEqual([...HOSTNAMES]);
      });

      it.each([
        ["'", ["quote'name", "x' or 1=1 #", "x\\' or 1=1 -- "]],
        ['\\', ['back\\slash', "x\\' or 1=1 -- "]],
        ['%', ['per%cent']],
        ['_', ['under_score']],
        ['!', ['bang!mark']],
        ["x' or 1=1 #", ["x' or 1=1 #"]],
        ["' or 1=1 #", ["x' or 1=1 #"]],
        ["\\' or 1=1 -- ", ["x\\' or 1=1 -- "]],
        ["QUOTE'", ["quote'name"]],
        ["%' or '1'='1", []],
      ] as const)('the pattern %j matches only itself', async (pattern, expected) => {
        expect(await hostnamesMatching(subject.storage, pattern)).toEqual(expected);
      });

      if (kind === 'mariadb') {
        it(`every pooled session runs with sql_mode ${SESSION_SQL_MODE}, whatever the server's global mode`, async () => {
          // Concurrent, so that several pool connections are opened and each is checked.
          const modes = await Promise.all(
            Array.from({ length: 4 }, () => sql<{ mode: string }>`select @@SESSION.sql_mode as mode, sleep(0.05) as waited`.execute(subject.storage.db)),
          );
          expect(modes.map((m) => m.rows[0]?.mode)).toEqual(Array(4).fill(SESSION_SQL_MODE));
        });
      }
    });
  });
}
