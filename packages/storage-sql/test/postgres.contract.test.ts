import { describeStorageContract } from '../../storage-memory/test/contract/storage-contract.js';
import { describeOnServer, sqlStorageFactory } from './support/test-servers.js';

await describeOnServer('postgres', (server) => describeStorageContract('postgres', sqlStorageFactory(server), { propertyRuns: 15 }));
