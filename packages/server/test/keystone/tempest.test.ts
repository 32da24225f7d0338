import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import type { Dataset } from '@os-hypervisors/core';
import { runTempest, startKeystone, type KeystoneHandle, type TempestResult } from '@os-hypervisors/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { SAMPLE_FILE_NOW } from '../../src/sample-dataset.js';

// tempest's own hypervisor tests (Debian's python3-tempest: test_hypervisor + test_hypervisor_negative, 20
// tests) against OUR server, started with --auth keystone and registered as the compute endpoint of a real
// Keystone: tempest authenticates with Keystone and sends its tokens straight to us, no proxy between.
// min 2.1 / max 2.93 in one run: tempest picks each test's own microversion within that range.

let ks: KeystoneHandle;
let ours: RunningServer;

beforeAll(async () => {
  ks = await startKeystone();
  const service = ks.identities.service;
  const dataset = JSON.parse(readFileSync(new URL('../../data/sample-dataset.json', import.meta.url), 'utf8')) as Dataset;
  ours = await startServer({
    port: 0,
    dataset,
    clock: () => new Date(SAMPLE_FILE_NOW),
    // tempest's admin is a project-scoped admin, as Nova Zed's defaults (the nova profile) let through.
    profile: 'nova',
    auth: 'keystone',
    keystone: {
      authUrl: `${ks.url}/v3`,
      serviceCredentials: { kind: 'password', user: { name: service.name, domain: { name: 'Default' } }, password: service.password, scope: { project: { name: 'service', domain: { name: 'Default' } } } },
    },
  });
}, 180_000);

afterAll(async () => {
  await ours?.close();
  await ks?.dispose();
});

describe('tempest against --auth keystone', () => {
  it('passes all 20 hypervisor tests at microversions 2.1 to 2.93', async () => {
    const result: TempestResult = await runTempest({ keystone: ks, computeUrl: ours.url, microversions: { min: '2.1', max: '2.93' } });
    const notPassed = result.tests.filter((t) => t.status !== 'passed').map((t) => `${t.status} ${t.id}\n${t.detail}`);
    expect(notPassed).toEqual([]);
    expect([result.passed, result.failed, result.skipped]).toEqual([20, 0, 0]);
  }, 600_000);
});
