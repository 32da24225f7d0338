import type { DependencyContainer } from 'tsyringe';
import { HYPERVISOR_STORAGE } from '@os-hypervisors/core';
import type { SqlStorageOptions } from '@os-hypervisors/storage-sql';
import { openNovaStorage, type NovaDatabases } from './open-nova-storage.js';
import type { NovaStorage } from './nova-storage.js';

/** Opens Nova's databases and registers them as the container's `HYPERVISOR_STORAGE`. Close it on shutdown. */
export const registerNovaStorage = async (container: DependencyContainer, databases: NovaDatabases, options: SqlStorageOptions = {}): Promise<NovaStorage> => {
  const storage = await openNovaStorage(databases, options);
  container.registerInstance(HYPERVISOR_STORAGE, storage);
  return storage;
};
