import { describeStorageContract } from '../../storage-memory/test/contract/storage-contract.js';
import { describeOnServer, sqlStorageFactory } from './support/test-servers.js';

await describeOnServer('sqlite', (server) => describeStorageContract('sqlite', sqlStorageFactory(server), { propertyRuns: 40 }));
