import 'reflect-metadata';
import { HYPERVISOR_STORAGE } from '@os-hypervisors/core';
import { MemoryStorage, registerMemoryStorage } from '@os-hypervisors/storage-memory';
import { container } from 'tsyringe';
import { expect, it } from 'vitest';
import { CONTRACT_DATASET } from './contract/contract-fixture.js';

it('registerMemoryStorage registers one MemoryStorage under HYPERVISOR_STORAGE', () => {
  const child = container.createChildContainer();
  const storage = registerMemoryStorage(child, CONTRACT_DATASET);
  expect(storage).toBeInstanceOf(MemoryStorage);
  expect(child.resolve(HYPERVISOR_STORAGE)).toBe(storage);
});
