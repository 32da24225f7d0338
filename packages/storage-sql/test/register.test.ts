import 'reflect-metadata';
import { HYPERVISOR_STORAGE } from '@os-hypervisors/core';
import { importDataset, registerSqlStorage, SqlStorage } from '@os-hypervisors/storage-sql';
import { container } from 'tsyringe';
import { expect, it } from 'vitest';
import { CONTRACT_DATASET } from '../../storage-memory/test/contract/contract-fixture.js';

it('registerSqlStorage opens, migrates and registers under HYPERVISOR_STORAGE', async () => {
  const child = container.createChildContainer();
  const storage = await registerSqlStorage(child, 'sqlite::memory:');
  try {
    expect(child.resolve(HYPERVISOR_STORAGE)).toBe(storage);
    expect(storage).toBeInstanceOf(SqlStorage);
    expect(await importDataset(storage.db, CONTRACT_DATASET)).toMatchObject({ _tag: 'Right' });
    const found = await child.resolve(HYPERVISOR_STORAGE).findNodeById(1, { kind: 'all' })();
    expect(found._tag === 'Right' && found.right?.node.hypervisor_hostname).toBe('node1.example.com');
  } finally {
    await storage.close();
  }
});

it('registerSqlStorage rejects an unusable URL', async () => {
  await expect(registerSqlStorage(container.createChildContainer(), 'ftp://x')).rejects.toThrow(/unsupported database URL scheme/);
});
