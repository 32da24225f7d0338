import { decodeDataset } from '@os-hypervisors/storage-memory';
import { describe, expect, it } from 'vitest';
import { CONTRACT_DATASET } from './contract/contract-fixture.js';

const empty = { services: [], compute_nodes: [], aggregates: [], instances: [] };
const node = (fields: Record<string, unknown>) => ({
  id: 7, hypervisor_type: 'QEMU', hypervisor_version: 1, vcpus: 1, memory_mb: 1, local_gb: 1, vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0, ...fields,
});
const problem = (json: unknown): string => {
  const decoded = decodeDataset(json);
  if (decoded._tag === 'Right') throw new Error('expected a problem');
  return decoded.left;
};

describe('decodeDataset', () => {
  it('accepts a Nova-shaped dataset unchanged', () => {
    expect(decodeDataset(CONTRACT_DATASET)).toEqual({ _tag: 'Right', right: CONTRACT_DATASET });
  });

  it.each([
    ['not an object', 5, 'the dataset: expected an object, got 5'],
    ['a missing table', { ...empty, instances: undefined }, 'instances: expected an array, got nothing (the field is missing)'],
    ['a wrong type, with the row id', { ...empty, compute_nodes: [node({ vcpus: '8' })] }, 'compute_nodes[0] (id 7).vcpus: expected number, got "8"'],
    ['a missing required field', { ...empty, services: [{ id: 3, host: 'h' }] }, 'services[0] (id 3).binary: expected string, got nothing (the field is missing)'],
    ['a nullable field, reported once', { ...empty, compute_nodes: [node({ host: 5 })] }, 'compute_nodes[0] (id 7).host: expected (string | null), got 5'],
    ['a row without an id', { ...empty, instances: [{ uuid: 'u' }] }, 'instances[0].id: expected number, got nothing (the field is missing)'],
    ['a bad metadata value', { ...empty, aggregates: [{ id: 2, name: 'a', metadata: { k: 1 } }] }, 'aggregates[0] (id 2).metadata.k: expected string, got 1'],
    ['a bad host in a list', { ...empty, aggregates: [{ id: 2, name: 'a', hosts: ['h', null] }] }, 'aggregates[0] (id 2).hosts[1]: expected string, got null'],
    ['a repeated id', { ...empty, instances: [{ id: 1, uuid: 'a' }, { id: 1, uuid: 'b' }] }, 'instances[1] (id 1).id: duplicate id, already used by instances[0]'],
    [
      'two live compute services on one host',
      { ...empty, services: [{ id: 1, host: 'h', binary: 'nova-compute' }, { id: 2, host: 'h', binary: 'nova-compute', deleted: 2 }, { id: 3, host: 'h', binary: 'nova-compute' }] },
      'services[2] (id 3).host: a live "nova-compute" service on host "h", already used by services[0]',
    ],
    [
      'two live nodes with one uuid',
      { ...empty, compute_nodes: [node({ id: 1, uuid: 'u' }), node({ id: 2, uuid: 'u' })] },
      'compute_nodes[1] (id 2).uuid: duplicate uuid "u", already used by compute_nodes[0]',
    ],
  ])('names the row and field: %s', (_label, json, message) => {
    expect(problem(json)).toBe(message);
  });

  it('lists five problems, then how many more', () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({ id: i, host: 'h' }));
    expect(problem({ ...empty, services: rows })).toMatch(/^(services\[\d\] \(id \d\)\.binary: [^;]+; ){4}services\[4\] \(id 4\)\.binary: [^;]+; and 3 more$/);
  });
});
