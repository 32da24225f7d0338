import { describeStorageContract } from '../../storage-memory/test/contract/storage-contract.js';
import { describe } from 'vitest';
import { novaOver, SKIP_NOVA } from './support/nova-fixture.js';

// One cell holds every host, so Nova's cell-by-cell order is the contract's id order (multi-cell order,
// paging and host mappings: cells.test.ts). Each random dataset of the property is a fresh set of Nova
// databases, migrated by Nova: a few runs only.
describe.skipIf(SKIP_NOVA)('over Nova\'s own databases', () => describeStorageContract('nova (SQLite, Nova\'s schema)', async (dataset) => novaOver(dataset, { cellOf: () => 'cell1' }), {
  propertyRuns: 3,
  propertyTimeoutMs: 300_000,
  // Nova has no column for the dataset's uptime fields nor for an instance's name (its template makes it).
  unstoredFields: ['cpu_info', 'uptime', 'uptime_not_implemented', 'name'],
  fillsDefaults: true,
}));
