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

// 2b. The policy decision (casbin) against one whole small request, to show its share of a request.
if (policyResult?._tag === 'Right') {
  const showPath = `/v2.1/os-hypervisors/${dataset.compute_nodes[500].uuid}`;
  await pair('policy decision: spec list rule, project admin (casbin)', () => authorizer.authorize('os_compute_api:os-hypervisors:list', projectAdmin),
    () => call(showPath, '', '2.88'), 'one whole show request at 2.88');
}

// 2c. Hostname search in the in-memory backend (n-gram index) vs a plain scan of the same hostnames.
{
  const needle = 'compute-02a';
  const folded = dataset.compute_nodes.map((n) => n.hypervisor_hostname.toLowerCase());
  await pair(`memory storage: hostname search "${needle}" (n-gram index)`, () => storage.searchNodes(needle, { kind: 'all' })(),
    () => folded.filter((h) => h.includes(needle)), 'scan of the folded hostnames');
}

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

// 3b. Observability off vs on (@os-hypervisors/observability): the core's observer hook alone (a no-op
//     observer), then everything an operator switches on (Prometheus metrics, decorated storage, policy
//     and uptime, one JSON log line per request written to a discarding stream), then request spans
//     recorded by the OpenTelemetry SDK (exported to a discarding exporter). Baseline: the same handler
//     without an observer, as every other row above.
{
  const { Writable } = await import('node:stream');
  const { createRequestObserver, Metrics, instrumentStorage, instrumentAuthorizer, instrumentUptime, tracedHandler, annotateActiveSpan, defaultTracer, createLogger, startTracing } =
    await import('@os-hypervisors/observability');
  const base = { storage, authorizer, clock: () => now, credentialResolvers: [() => admin], requestId: () => 'req-bench' };
  // On and off differ by little, so load on the machine weighs more than usual: measure in alternating
  // short rounds (which task runs first swaps each round) and report the median ratio of the rounds.
  const ROUNDS = Number(process.env.BENCH_ONOFF_ROUNDS ?? 7);
  const onOff = async (name, subject, baseline) => {
    const ratios = [];
    let sMs = 0;
    let bMs = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const bench = new Bench({ time: Math.max(200, TIME / 3), warmup: true });
      if (round % 2 === 0) bench.add('subject', subject).add('baseline', baseline);
      else bench.add('baseline', baseline).add('subject', subject);
      await bench.run();
      const mean = (task) => task.result.latency?.mean ?? task.result.mean;
      const s = mean(bench.tasks.find((t) => t.name === 'subject'));
      const b = mean(bench.tasks.find((t) => t.name === 'baseline'));
      ratios.push(s / b);
      sMs += s / ROUNDS;
      bMs += b / ROUNDS;
    }
    ratios.sort((x, y) => x - y);
    results.push({ scenario: name, baseline: `same handler, no observer (median of ${ROUNDS} rounds)`, ratio: +ratios[Math.floor(ROUNDS / 2)].toFixed(2), subject_ms: +sMs.toFixed(4), baseline_ms: +bMs.toFixed(4) });
  };
  const bareNull = createHandler({ ...base, observer: { now: () => 0, observe: () => {} } });
  const discard = Object.assign(new Writable({ write: (_c, _e, done) => done() }), { isTTY: false });
  const logger = await createLogger({ format: 'json', destination: discard });
  const build = (tracer) => {
    const metrics = new Metrics({ processMetrics: false });
    const instruments = { metrics, tracer };
    const h = createHandler({
      ...base,
      storage: instrumentStorage(storage, instruments),
      authorizer: instrumentAuthorizer(authorizer, instruments),
      uptime: instrumentUptime(core.datasetUptimeProvider, instruments),
      observer: createRequestObserver({ metrics, logger, annotate: tracer === undefined ? undefined : annotateActiveSpan }),
    });
    return tracer === undefined ? h : tracedHandler(h, tracer);
  };
  const full = build(undefined);
  const ask = (h, path, query, version) => h({ method: 'GET', path, query, headers: { host: 'bench', 'openstack-api-version': `compute ${version}` } }, admin);
  const show = `/v2.1/os-hypervisors/${dataset.compute_nodes[500].uuid}`;
  const cases = [['show 2.88', show, '', '2.88'], ['list 2.53 page of 50', '/v2.1/os-hypervisors', 'limit=50', '2.53']];
  for (const [label, path, query, version] of cases) {
    await onOff(`observer hook on (no-op observer): ${label}`, () => ask(bareNull, path, query, version), () => call(path, query, version));
    await onOff(`metrics + logs + decorated ports: ${label}`, () => ask(full, path, query, version), () => call(path, query, version));
  }
  const tracing = await startTracing({ exporter: { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} } });
  const traced = build(defaultTracer());
  for (const [label, path, query, version] of cases) {
    await onOff(`metrics + logs + spans (SDK on): ${label}`, () => ask(traced, path, query, version), () => call(path, query, version));
  }
  await tracing.shutdown();
}

console.log(`os-hypervisors benchmarks (${NODES} hypervisors, ${TIME} ms per task); ratio = subject time / baseline time`);
console.table(results);

// 3b. Keystone tokens, cached, vs noauth2 tokens; and a burst with one new token (bench/keystone.mjs).
{
  const { keystoneBench } = await import('./keystone.mjs');
  const keystone = await keystoneBench({ storage, authorizer, now, time: TIME, showPath: `/v2.1/os-hypervisors/${dataset.compute_nodes[500].uuid}` });
  if (keystone.skipped !== undefined) console.log(`\nKeystone figures skipped: ${keystone.skipped}`);
  else {
    console.log('\nKeystone authentication (a real Keystone on loopback); ratio = Keystone-token time / noauth2-token time');
    console.table(keystone.rows);
    console.log(keystone.burst);
  }
}

// ---------------------------------------------------------------------------------------------------
// 4. Nova Zed's own API in-process (same dataset, same requests) as the baseline for our handler.
//    bench/nova-oracle/oracle.py runs Nova's real WSGI pipeline and database code (Debian python3-nova)
//    over the dataset and times the requests itself; ratio = our time / Nova's time (below 1: faster).
//    Nova needs ~4 ms per listed node, so this section uses its own, smaller dataset (BENCH_NOVA_NODES).
{
  const { spawnSync } = await import('node:child_process');
  const { createHash } = await import('node:crypto');
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');

  const python = process.env.NOVA_ORACLE_PYTHON ?? '/usr/bin/python3';
  const oracle = fileURLToPath(new URL('./nova-oracle/oracle.py', import.meta.url));
  const novaNodes = Number(process.env.BENCH_NOVA_NODES ?? 100);
  const iterations = Number(process.env.BENCH_NOVA_ITERATIONS ?? 5);
  const probe = spawnSync(python, ['-c', 'import nova.api.openstack.compute, nova.db.migration'], { encoding: 'utf8' });
  const skipped = probe.error ? `${python} cannot run (${probe.error.message})`
    : probe.status !== 0 ? `${python} cannot import Nova (apt-get install python3-nova): ${probe.stderr.trim().split('\n').pop()}`
      : process.env.BENCH_NOVA === '0' ? 'BENCH_NOVA=0' : null;
  if (skipped !== null) {
    console.log(`\nNova Zed baseline skipped: ${skipped}`);
  } else {
    const novaDataset = benchDataset({ nodes: novaNodes, now });
    const dir = mkdtempSync(join(tmpdir(), 'bench-nova-'));
    const file = join(dir, 'dataset.json');
    writeFileSync(file, JSON.stringify(novaDataset));
    const run = spawnSync(python, [oracle, '--dataset', file, '--now', now.toISOString().slice(0, 19), '--bench', String(iterations)],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    rmSync(dir, { recursive: true, force: true });
    const last = run.stdout.trim().split('\n').pop() ?? '';
    if (run.status !== 0 || !last.startsWith('{')) {
      console.log(`\nNova Zed baseline skipped: the oracle failed (${run.status}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    } else {
      const nova = JSON.parse(last);
      // Our handler over the same dataset under the `nova` profile, answering the same requests.
      const novaPolicy = typeof core.createPolicy === 'function' ? core.createPolicy({ profile: 'nova' }) : null;
      const ours = createHandler({
        storage: new MemoryStorage(novaDataset),
        authorizer: novaPolicy?._tag === 'Right' ? novaPolicy.right : authorizer,
        clock: () => now, config: { profile: 'nova' }, credentialResolvers: [() => admin], requestId: () => 'req-bench',
      });
      const ask = (path, version) => ours({ method: 'GET', path, query: '', headers: { host: 'bench', 'openstack-api-version': `compute ${version}` } }, admin);
      const bench = new Bench({ time: TIME, warmup: true });
      const rows = [];
      for (const [name, r] of Object.entries(nova.requests)) {
        const body = (await ask(r.path, r.version)).body;
        const same = createHash('sha256').update(body, 'utf8').digest('hex') === r.sha256;
        rows.push({ name, r, same });
        bench.add(name, () => ask(r.path, r.version));
      }
      await bench.run();
      const novaResults = rows.map(({ name, r, same }, i) => {
        const res = bench.tasks[i].result;
        const oursMs = res.latency?.mean ?? res.mean;
        return {
          scenario: `handler vs Nova ${nova.nova}: ${name} (${nova.nodes} nodes)`, ratio: +(oursMs / r.ms_per_op).toFixed(4),
          ours_ms: +oursMs.toFixed(4), nova_ms: +r.ms_per_op.toFixed(2), same_bytes: same,
        };
      });
      console.log(`\nNova Zed's own API in-process (same dataset, same requests; Nova timed over ${iterations} iterations); ratio = our time / Nova's time`);
      console.table(novaResults);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// 5. storage-nova: our handler reading Nova's own databases live (API database + two cells, built by
//    Nova's migrations and filled by Nova's objects: packages/testing), against the same handler over
//    storage-sql's own schema imported from the same dataset, both on SQLite files.
//    ratio = time over Nova's databases / time over the imported copy.
{
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const python = process.env.NOVA_ORACLE_PYTHON ?? '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import nova.cmd.manage'], { encoding: 'utf8' });
  if (probe.status !== 0 || process.env.BENCH_NOVA === '0') {
    console.log(`\nstorage-nova benchmark skipped: ${probe.status !== 0 ? `${python} cannot import Nova` : 'BENCH_NOVA=0'}`);
  } else {
    const { buildNovaDatabases } = await import('@os-hypervisors/testing');
    const { openNovaStorage } = await import('@os-hypervisors/storage-nova');
    const { openSqlStorage, importDataset } = await import('@os-hypervisors/storage-sql');
    const nodes = Number(process.env.BENCH_NOVA_DB_NODES ?? 200);
    const novaDataset = benchDataset({ nodes, now });
    const dbs = await buildNovaDatabases({ dialect: 'sqlite', dataset: novaDataset, now, readOnlyUser: false });
    const dir = mkdtempSync(join(tmpdir(), 'bench-sql-'));
    const novaStorage = await openNovaStorage({ apiDatabase: dbs.apiUrl });
    const sqlStorage = await openSqlStorage(`sqlite:${join(dir, 'osh.sqlite')}`);
    const imported = await importDataset(sqlStorage.db, novaDataset);
    if (imported._tag === 'Left') throw new Error(imported.left);
    const over = (s) => createHandler({ storage: s, authorizer, clock: () => now, credentialResolvers: [() => admin], requestId: () => 'req-bench' });
    const [viaNova, viaSql] = [over(novaStorage), over(sqlStorage)];
    const ask = (h, path, query, version, credentials = admin) =>
      h({ method: 'GET', path, query, headers: { host: 'bench', 'openstack-api-version': `compute ${version}` } }, credentials);
    const novaRows = [];
    for (const [label, path, query, version, credentials] of [
      [`list 2.53 (${nodes} nodes, two cells)`, '/v2.1/os-hypervisors', '', '2.53'],
      ['detail 2.53 page of 50 with servers', '/v2.1/os-hypervisors/detail', 'limit=50&with_servers=true', '2.53'],
      ['show 2.53', `/v2.1/os-hypervisors/${novaDataset.compute_nodes[Math.floor(nodes / 2)].uuid}`, '', '2.53'],
      ['project-admin list 2.53', '/v2.1/os-hypervisors', '', '2.53', projectAdmin],
      ['statistics', '/v2.1/os-hypervisors/statistics', '', '2.1'],
    ]) {
      const bench = new Bench({ time: TIME, warmup: true });
      bench.add('nova', () => ask(viaNova, path, query, version, credentials)).add('sql', () => ask(viaSql, path, query, version, credentials));
      await bench.run();
      const [n, s] = bench.tasks.map((t) => t.result);
      const nMs = n.latency?.mean ?? n.mean;
      const sMs = s.latency?.mean ?? s.mean;
      novaStorage.resetQueryCounts();
      await ask(viaNova, path, query, version, credentials);
      const counts = novaStorage.queryCounts();
      novaRows.push({
        scenario: `storage-nova: ${label}`, baseline: 'storage-sql over an imported copy', ratio: +(nMs / sMs).toFixed(2),
        nova_db_ms: +nMs.toFixed(3), sql_ms: +sMs.toFixed(3), queries: `api ${counts.api}, cells ${[...counts.cells.values()].join('+')}`,
      });
    }
    console.log(`\nstorage-nova over Nova's own databases (SQLite, two cells, ${nodes} nodes) vs storage-sql over an imported copy; ratio = Nova-databases time / imported-copy time`);
    console.table(novaRows);
    await Promise.all([novaStorage.close(), sqlStorage.close()]);
    await dbs.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
