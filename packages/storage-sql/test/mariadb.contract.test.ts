import { describeStorageContract } from '../../storage-memory/test/contract/storage-contract.js';
import { describeOnServer, sqlStorageFactory } from './support/test-servers.js';

await describeOnServer('mariadb', (server) => describeStorageContract('mariadb', sqlStorageFactory(server), { propertyRuns: 15 }));
