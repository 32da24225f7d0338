import type { DependencyContainer } from 'tsyringe';
import { HYPERVISOR_STORAGE, type Dataset } from '@os-hypervisors/core';
import { MemoryStorage } from './memory-storage.js';

/** Registers one MemoryStorage over `dataset` as the container's `HYPERVISOR_STORAGE`. */
export const registerMemoryStorage = (container: DependencyContainer, dataset: Dataset): MemoryStorage => {
  const storage = new MemoryStorage(dataset);
  container.registerInstance(HYPERVISOR_STORAGE, storage);
  return storage;
};
