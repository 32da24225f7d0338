import type { DependencyContainer } from 'tsyringe';
import { HYPERVISOR_STORAGE } from '@os-hypervisors/core';
import type { SqlStorageOptions } from './connection/options.js';
import { openSqlStorage } from './open-sql-storage.js';
import type { SqlStorage } from './sql-storage.js';

/** Opens the database at `url` and registers it as the container's `HYPERVISOR_STORAGE`. Close it on shutdown. */
export const registerSqlStorage = async (container: DependencyContainer, url: string, options: SqlStorageOptions = {}): Promise<SqlStorage> => {
  const storage = await openSqlStorage(url, options);
  container.registerInstance(HYPERVISOR_STORAGE, storage);
  return storage;
};
