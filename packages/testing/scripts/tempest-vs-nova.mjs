// Validates runTempest against real Nova: Nova Zed's own API (python3-nova, keystone pipeline with the real
// keystonemiddleware) over the demo dataset, registered as the compute endpoint of a real Keystone; runs
// tempest's 20 hypervisor tests at microversions 2.1–2.93 and prints the counts.
//   npx -y pnpm@10.34.9 build && node packages/testing/scripts/tempest-vs-nova.mjs
import { readFileSync } from 'node:fs';
import { runTempest, startKeystone, startNovaApi } from '../dist/index.js';

const started = Date.now();
const ks = await startKeystone();
let nova;
try {
  // The demo dataset, with Nova's clock at the instant its heartbeats are relative to.
  const dataset = JSON.parse(readFileSync(new URL('../../server/data/sample-dataset.json', import.meta.url), 'utf8'));
  nova = await startNovaApi({ keystone: ks, dataset, now: new Date('2025-01-01T00:00:00Z') });
  const result = await runTempest({ keystone: ks, computeUrl: nova.computeUrl, microversions: { min: '2.1', max: '2.93' }, keepDir: !!process.env.KEEP });
  for (const t of result.tests) console.log(`${t.status.padEnd(7)} ${t.id}${t.status === 'passed' ? '' : `\n${t.detail}`}`);
  console.log(`nova ${nova.novaVersion}, keystone ${ks.keystoneVersion}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (process.env.VERBOSE) console.log(result.output);
  process.exitCode = result.failed === 0 && result.passed === 20 ? 0 : 1;
} finally {
  await nova?.stop();
  await ks.dispose();
}
