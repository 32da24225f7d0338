import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTempest, startKeystone, startNovaApi, type KeystoneHandle, type NovaApi } from '@os-hypervisors/testing';

// The tempest runner is only worth something if it passes where it must: real Nova Zed (its keystone
// pipeline, keystonemiddleware included) over the demo dataset, registered in a real Keystone's catalog,
// passes all 20 of tempest's hypervisor tests; and it must fail where it must: a compute endpoint that
// answers nothing passes none.

let ks: KeystoneHandle;
let nova: NovaApi;

beforeAll(async () => {
  ks = await startKeystone();
  const dataset = JSON.parse(readFileSync(new URL('../../server/data/sample-dataset.json', import.meta.url), 'utf8'));
  // Nova's clock at the instant the demo dataset's heartbeats are relative to (SAMPLE_FILE_NOW).
  nova = await startNovaApi({ keystone: ks, dataset, now: new Date('2025-01-01T00:00:00Z') });
}, 240_000);

afterAll(async () => {
  await nova?.stop();
  await ks?.dispose();
});

describe('runTempest', () => {
  it("passes tempest's 20 hypervisor tests against real Nova at 2.1 – 2.93", async () => {
    const result = await runTempest({ keystone: ks, computeUrl: nova.computeUrl, microversions: { min: '2.1', max: '2.93' } });
    expect(result.tests.filter((t) => t.status !== 'passed').map((t) => `${t.id}: ${t.detail}`)).toEqual([]);
    expect(result.passed).toBe(20);
  }, 300_000);

  it('fails them against an endpoint where nothing listens', async () => {
    const result = await runTempest({
      keystone: ks,
      computeUrl: 'http://127.0.0.1:9/v2.1',
      microversions: { min: '2.1', max: '2.93' },
      tests: ['tempest.api.compute.admin.test_hypervisor.HypervisorAdminTestJSON'],
    });
    expect(result.passed).toBe(0);
    expect(result.failed).toBe(5);
  }, 300_000);
});
