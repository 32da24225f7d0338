// `pnpm bench`: each figure is a ratio against a baseline measured in the same run, on the same data,
// so machine speed cancels out. Absolute numbers are printed for context only.
import 'reflect-metadata';
import { createServer } from 'node:http';
import { Agent, request } from 'node:http';
import { Bench } from 'tinybench';
import express from 'express';
import { createHandler } from '@os-hypervisors/core';
import * as core from '@os-hypervisors/core';
import { hypervisorsMiddleware } from '@os-hypervisors/express';
import { MemoryStorage } from '@os-hypervisors/storage-memory';
import { benchDataset } from './dataset.mjs';

const NODES = Number(process.env.BENCH_NODES ?? 1000);
const TIME = Number(process.env.BENCH_MS ?? 1500);
const now = new Date('2026-11-22T12:00:00Z');
const dataset = benchDataset({ nodes: NODES, now });
const storage = new MemoryStorage(dataset);
const admin = { userId: 'admin', projectId: 'admin', roles: ['admin', 'member', 'reader'], systemScope: 'all', isAdmin: true };
const projectAdmin = { userId: 'pa', projectId: (3).toString(16).padStart(32, '0'), roles: ['admin', 'member', 'reader'], systemScope: null, isAdmin: true };

// The real policy when the core has it; otherwise a grant that depends on the credentials alone.
const policyResult = typeof core.createPolicy === 'function' ? core.createPolicy({ profile: 'spec' }) : null;
const authorizer = policyResult?._tag === 'Right'
  ? policyResult.right
  : { authorize: (_rule, c) => ({ allowed: true, grant: c.systemScope === 'all' ? { kind: 'system' } : { kind: 'project', projectId: c.projectId } }) };

const handler = createHandler({
  storage, authorizer, clock: () => now, credentialResolvers: [() => admin], requestId: () => 'req-bench',
});
const call = (path, query, version, credentials = admin) =>
  handler({ method: 'GET', path, query, headers: { host: 'bench', 'openstack-api-version': `compute ${version}` } }, credentials);

const results = [];
const pair = async (name, subject, baseline, baselineName) => {
  const bench = new Bench({ time: TIME, warmup: true });
  bench.add('subject', subject).add('baseline', baseline);
  await bench.run();
  const [s, b] = bench.tasks.map((t) => t.result);
  const sMean = s.latency?.mean ?? s.mean;
  const bMean = b.latency?.mean ?? b.mean;
  results.push({ scenario: name, baseline: baselineName, ratio: +(sMean / bMean).toFixed(2), subject_ms: +sMean.toFixed(4), baseline_ms: +bMean.toFixed(4) });
};

// 1. Core handler vs the floor of producing the same bytes: JSON.stringify of the parsed answer.
for (const [label, path, query, version] of [
  ['list 2.53 (1000 nodes)', '/v2.1/os-hypervisors', '', '2.53'],
  ['detail 2.53 (1000 nodes)', '/v2.1/os-hypervisors/detail', '', '2.53'],
  ['detail 2.88 (1000 nodes, uptime per node)', '/v2.1/os-hypervisors/detail', '', '2.88'],
  ['detail 2.53 page of 50', '/v2.1/os-hypervisors/detail', 'limit=50', '2.53'],
  ['show 2.88', `/v2.1/os-hypervisors/${dataset.compute_nodes[500].uuid}`, '', '2.88'],
]) {
  const body = JSON.parse((await call(path, query, version)).body);
  await pair(`handler: ${label}`, () => call(path, query, version), () => JSON.stringify(body), 'JSON.stringify of the same body');
}

// 2. Project-admin visibility (aggregate filtering per request) vs the unfiltered system view.
await pair('project-admin list 2.53 (aggregate filtering)', () => call('/v2.1/os-hypervisors', '', '2.53', projectAdmin),
  () => call('/v2.1/os-hypervisors', '', '2.53'), 'system-reader list of all nodes');

// 3. Over HTTP through Express vs a bare node:http server sending the same bytes.
const listen = (listener) => new Promise((resolve) => { const s = createServer(listener); s.listen(0, '127.0.0.1', () => resolve(s)); });
const app = express();
app.use(hypervisorsMiddleware(handler));
const api = await listen(app);
const sample = await call('/v2.1/os-hypervisors', 'limit=50', '2.53');
const bare = await listen((_req, res) => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(sample.body); });
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const get = (server, path) => new Promise((resolve, reject) => {
  const req = request({ host: '127.0.0.1', port: server.address().port, path, agent, headers: { 'OpenStack-API-Version': 'compute 2.53' } }, (res) => { res.resume(); res.on('end', resolve); });
  req.on('error', reject);
  req.end();
});
await pair('express + handler: list 2.53 page of 50', () => get(api, '/v2.1/os-hypervisors?limit=50'), () => get(bare, '/'), 'bare node:http sending the same bytes');
agent.destroy(); api.close(); bare.close();

console.log(`os-hypervisors benchmarks (${NODES} hypervisors, ${TIME} ms per task); ratio = subject time / baseline time`);
console.table(results);
