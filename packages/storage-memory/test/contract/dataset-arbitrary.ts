import type { Dataset } from '@os-hypervisors/core';
import fc from 'fast-check';

/**
 * Small random datasets where visibility is interesting: few hosts and projects, so aggregates overlap,
 * keys vary between `filter_tenant_id`, suffixed forms and unrelated keys, and rows are often deleted.
 */
export const HOSTS = ['h0', 'h1', 'h2', 'h3', 'h4'] as const;
export const PROJECTS = ['p0', 'p1', 'p2', 'p3'] as const;

const TENANT_KEYS = ['filter_tenant_id', 'filter_tenant_id2', 'filter_tenant_id:x', 'availability_zone', 'ssd'] as const;

const deleted = fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0), fc.constant(1), fc.constant(true));

/** A comma list as operators write it: spaces around commas, empty items, unknown projects. */
const tenantValue = fc
  .array(fc.tuple(fc.constantFrom('', ' ', '  '), fc.constantFrom(...PROJECTS, 'other', ''), fc.constantFrom('', ' ')), { maxLength: 3 })
  .map((items) => items.map(([before, id, after]) => `${before}${id}${after}`).join(','));

const ids = (maxLength: number) => fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength });

export const datasetArbitrary: fc.Arbitrary<Dataset> = fc
  .record({
    nodeIds: ids(12),
    nodeHosts: fc.array(fc.option(fc.constantFrom(...HOSTS), { nil: null }), { minLength: 12, maxLength: 12 }),
    nodeDeleted: fc.array(deleted, { minLength: 12, maxLength: 12 }),
    serviceHosts: fc.subarray([...HOSTS]),
    aggregates: fc.array(
      fc.record({
        hosts: fc.subarray([...HOSTS]),
        metadata: fc.dictionary(fc.constantFrom(...TENANT_KEYS), tenantValue, { maxKeys: 3 }),
        deleted,
      }),
      { maxLength: 5 },
    ),
  })
  .map(({ nodeIds, nodeHosts, nodeDeleted, serviceHosts, aggregates }) => ({
    services: serviceHosts.map((host, i) => ({ id: i + 1, host, binary: 'nova-compute' })),
    compute_nodes: nodeIds.map((id, i) => ({
      id, uuid: `00000000-0000-4000-8000-${id.toString().padStart(12, '0')}`, host: nodeHosts[i]!,
      hypervisor_hostname: `node-${id}`, hypervisor_type: 'QEMU', hypervisor_version: 1, vcpus: 1, memory_mb: 1,
      local_gb: 1, vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0, deleted: nodeDeleted[i]!,
    })),
    aggregates: aggregates.map((a, i) => ({ id: i + 1, name: `agg${i + 1}`, ...a })),
    instances: [],
  }));
