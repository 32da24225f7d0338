import { MemoryStorage } from '@os-hypervisors/storage-memory';
import { describeStorageContract } from './contract/storage-contract.js';

describeStorageContract('memory', async (dataset) => ({ storage: new MemoryStorage(dataset), close: async () => {} }));
