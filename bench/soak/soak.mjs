#!/usr/bin/env node
// Soak and fault run (issue 12): the real server (bench/soak/server.mjs, its own process) on a fresh
// PostgreSQL database reached through a TCP proxy, under random valid and invalid requests from the
// differential test's grammar (@os-hypervisors/testing), while a fault schedule stops and starts the
// proxy (the database "restarts" for the server; the shared PostgreSQL others use is never touched).
// Bounded: it stops by itself after --duration seconds, drops its database and exits.
//
//   pnpm soak [-- --duration 180 --clients 8 --every 30 --outage 8 --seed N --report file.json]
//
// Pass/fail (exit 1 otherwise): no request lost (every request answered), no 500, every 503 Nova's
// `serviceUnavailable` fault, the API back after each outage without a restart (same server process),
// heap after a full GC not grown by more than --max-heap-growth MB between warm-up and the end.
//
// More dependencies join the schedule as more FAULT_TARGETS: a proxy in front of Keystone (issue 8's
// token validation) or of a cell database (issue 9's Nova-database backend) is one more entry with
// `stop`/`start`, and the server's options name the proxied URL.
import { fork } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { describeRequest, requestArbitrary, requestTarget, TcpProxy } from '../../packages/testing/dist/index.js';
import { buildSampleDataset, SAMPLE_PROJECTS } from '../../packages/server/dist/index.js';
import { importDatasetFromUrl } from '../../packages/storage-sql/dist/index.js';

const require = createRequire(new URL('../../packages/storage-sql/package.json', import.meta.url));
const pg = require('pg');

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '180' },
    clients: { type: 'string', default: '8' },
    every: { type: 'string', default: '30' },
    outage: { type: 'string', default: '8' },
    seed: { type: 'string' },
    report: { type: 'string' },
    'max-heap-growth': { type: 'string', default: '30' },
  },
});
const DURATION = Number(args.duration) * 1000;
const CLIENTS = Number(args.clients);
const EVERY = Number(args.every) * 1000;
const OUTAGE = Number(args.outage) * 1000;
const SEED = args.seed === undefined ? (Date.now() % 2 ** 31) : Number(args.seed);
const MAX_HEAP_GROWTH = Number(args['max-heap-growth']) * 2 ** 20;
const ADMIN_URL = process.env.OSH_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (...parts) => console.error(`soak ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s:`, ...parts);
let t0 = performance.now();

// --- the database, behind a proxy -----------------------------------------------------------------
const dbName = `osh_soak_${process.pid}_${Date.now().toString(36)}`;
const admin = async (sql) => {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
};
const adminUrl = new URL(ADMIN_URL);
const dbUrl = (host, port) => { const u = new URL(ADMIN_URL); u.hostname = host; u.port = String(port); u.pathname = `/${dbName}`; return u.toString(); };
await admin(`CREATE DATABASE ${dbName}`);
const dataset = buildSampleDataset(new Date());
const imported = await importDatasetFromUrl(dbUrl(adminUrl.hostname, adminUrl.port || 5432), JSON.parse(JSON.stringify(dataset)));
if (imported._tag === 'Left') throw new Error(`import: ${imported.left}`);
const dbProxy = await TcpProxy.start({ host: adminUrl.hostname, port: Number(adminUrl.port || 5432) });

/** What the fault schedule can stop and start. */
const FAULT_TARGETS = {
  database: { stop: () => dbProxy.refuse(), start: () => dbProxy.restore() },
};

// --- the server -------------------------------------------------------------------------------------
const child = fork(new URL('./server.mjs', import.meta.url), [JSON.stringify({
  db: dbUrl('127.0.0.1', dbProxy.port),
  dbOptions: { acquireTimeoutMs: 1000, queryTimeoutMs: 3000 },
  limits: { shutdownTimeoutMs: 5000 },
})], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const fromChild = (kind) => new Promise((resolve) => { const on = (m) => { if (m.kind === kind) { child.off('message', on); resolve(m); } }; child.on('message', on); });
let childExit = null;
child.on('exit', (code, signal) => { childExit = { code, signal }; });
const ready = await fromChild('ready');
const serverPid = child.pid;
const base = new URL(ready.url);
log(`server pid ${serverPid} at ${base.origin}, database ${dbName} via proxy :${dbProxy.port}, seed ${SEED}; the run starts now`);
t0 = performance.now(); // the run's clock starts once the database is loaded and the server listens
const memory = async () => { child.send({ kind: 'memory' }); const m = await fromChild('memory'); return { heapMB: +(m.heapUsed / 2 ** 20).toFixed(1), rssMB: +(m.rss / 2 ** 20).toFixed(1) }; };

// --- load -------------------------------------------------------------------------------------------
const vocabulary = {
  project: SAMPLE_PROJECTS.alpha,
  otherProject: SAMPLE_PROJECTS.beta,
  nodeIds: [...dataset.compute_nodes.flatMap((n) => [String(n.id), n.uuid]), '999', '99999999999999999999999', 'c0de0000-0000-4000-8000-000000000999'],
  aggregateIds: [...dataset.aggregates.map((a) => String(a.id)), '999', 'abc'],
  patterns: ['compute', 'COMPUTE', 'compute-1', 'ironic', 'nomatch', 'dc1', 'a%2Fb', '%ff', 'compute_1', 'caf%C3%A9'],
  host: base.host,
};
const arbitrary = requestArbitrary(vocabulary);
let batch = 0;
let queue = [];
const nextRequest = () => {
  if (queue.length === 0) queue = fc.sample(arbitrary, { seed: (SEED + batch++) | 0, numRuns: 500 });
  return queue.pop();
};

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
// Node's client refuses a raw space or control character in the target (no HTTP client sends one): escape it.
const wireTarget = (r) => requestTarget(r).replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
const send = (r) => new Promise((resolve) => {
  const req = http.request({ host: base.hostname, port: base.port, method: r.method, path: wireTarget(r), headers: r.headers, agent }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    res.on('error', (e) => resolve({ error: e.code ?? e.message }));
  });
  req.on('error', (e) => resolve({ error: e.code ?? e.message }));
  req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
  req.end(r.body);
});

const stats = { requests: 0, byStatus: {}, lost: [], serverErrors: [], unclear503: [], during: { outage: {}, normal: {} } };
let outage = false;
const isServiceUnavailable = (body) => { try { return JSON.parse(body).serviceUnavailable?.code === 503; } catch { return false; } };
const record = (r, answer) => {
  stats.requests++;
  const key = answer.error === undefined ? String(answer.status) : 'lost';
  stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
  const phase = outage ? stats.during.outage : stats.during.normal;
  phase[key] = (phase[key] ?? 0) + 1;
  const sample = (list, what) => { if (list.length < 10) list.push(`${describeRequest(r)} -> ${what}`); };
  if (answer.error !== undefined) sample(stats.lost, answer.error);
  else if (answer.status >= 500 && answer.status !== 503 && answer.status !== 501) sample(stats.serverErrors, `${answer.status} ${answer.body.slice(0, 200)}`);
  else if (answer.status === 503 && !isServiceUnavailable(answer.body)) sample(stats.unclear503, answer.body.slice(0, 200));
};

const end = t0 + DURATION;
const client = async () => { while (performance.now() < end) { const r = nextRequest(); record(r, await send(r)); } };

// A probe on a route that needs the database: when the API went down and came back.
const probeRequest = { method: 'GET', path: '/v2.1/os-hypervisors', query: 'limit=1', headers: { Host: base.host, 'X-Auth-Token': `admin:${SAMPLE_PROJECTS.alpha}`, 'OpenStack-API-Version': 'compute 2.53' } };
const outages = [];
const probe = async () => {
  while (performance.now() < end) {
    const answer = await send(probeRequest);
    const current = outages.at(-1);
    if (current !== undefined && current.recoveredAfterMs === null && current.restoredAt !== null && answer.status === 200) {
      current.recoveredAfterMs = Math.round(performance.now() - current.restoredAt);
    }
    if (current !== undefined && current.restoredAt === null && answer.status === 503) current.saw503 = true;
    await new Promise((r) => setTimeout(r, 100));
  }
};

// The fault schedule: every EVERY ms, each target is stopped for OUTAGE ms.
const faults = async () => {
  for (let at = EVERY; at + OUTAGE < DURATION - 5000; at += EVERY) {
    await new Promise((r) => setTimeout(r, t0 + at - performance.now()));
    for (const [name, target] of Object.entries(FAULT_TARGETS)) {
      const entry = { target: name, stoppedAtS: +((performance.now() - t0) / 1000).toFixed(1), restoredAt: null, recoveredAfterMs: null, saw503: false };
      outages.push(entry);
      outage = true;
      await target.stop();
      log(`${name} stopped`);
      await new Promise((r) => setTimeout(r, OUTAGE));
      await target.start();
      entry.restoredAt = performance.now();
      outage = false;
      log(`${name} started again`);
    }
  }
};

// Warm up, then the first memory reading; the load runs throughout.
const load = Promise.all([...Array.from({ length: CLIENTS }, client), probe(), faults()]);
await new Promise((r) => setTimeout(r, Math.min(10_000, DURATION / 10)));
const memoryStart = await memory();
log(`memory at start: heap ${memoryStart.heapMB} MB, rss ${memoryStart.rssMB} MB`);
await load;
agent.destroy();
await new Promise((r) => setTimeout(r, 500));
const memoryEnd = await memory();
log(`memory at end: heap ${memoryEnd.heapMB} MB, rss ${memoryEnd.rssMB} MB`);

child.send({ kind: 'stop' });
const stopped = await fromChild('stopped');
await new Promise((r) => (childExit !== null ? r() : child.once('exit', r)));
await dbProxy.close();
await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);

const seconds = (performance.now() - t0) / 1000;
const report = {
  date: new Date().toISOString(), seed: SEED, seconds: Math.round(seconds), clients: CLIENTS,
  requests: stats.requests, requestsPerSecond: Math.round(stats.requests / seconds), byStatus: stats.byStatus,
  duringOutage: stats.during.outage, outsideOutage: stats.during.normal,
  outages: outages.map(({ restoredAt, ...o }) => o),
  memory: { start: memoryStart, end: memoryEnd },
  serverProcess: { pid: serverPid, restarts: 0, exit: childExit, shutdownFinishedInFlight: stopped.finished },
  samples: { lost: stats.lost, serverErrors: stats.serverErrors, unclear503: stats.unclear503 },
};
const problems = [
  ...(stats.lost.length > 0 ? [`${stats.byStatus.lost} requests lost`] : []),
  ...(stats.serverErrors.length > 0 ? ['500s answered'] : []),
  ...(stats.unclear503.length > 0 ? ['503s that are not a serviceUnavailable fault'] : []),
  ...outages.filter((o) => o.recoveredAfterMs === null).map((o) => `no recovery after the ${o.target} outage at ${o.stoppedAtS}s`),
  ...(memoryEnd.heapMB - memoryStart.heapMB > MAX_HEAP_GROWTH / 2 ** 20 ? [`heap grew ${(memoryEnd.heapMB - memoryStart.heapMB).toFixed(1)} MB`] : []),
  ...(childExit?.code !== 0 ? [`server exited ${JSON.stringify(childExit)}`] : []),
];
report.problems = problems;
const text = JSON.stringify(report, null, 1);
console.log(text);
if (args.report !== undefined) (await import('node:fs')).writeFileSync(args.report, `${text}\n`);
process.exit(problems.length === 0 ? 0 : 1);
