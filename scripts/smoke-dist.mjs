#!/usr/bin/env node
// Smoke test of the BUILT packages with plain Node (no vitest, no TypeScript, no aliases), to catch what
// only shows up there: ESM/CJS interop (e.g. `fp-ts/Either` vs `fp-ts/lib/Either.js`), missing `.js`
// extensions, decorator metadata, a bin without its shebang. It
//   1. imports every package's dist/index.js;
//   2. runs the built CLI: --help (exit 0), a bad flag (usage, exit 2, no stack trace), openapi --microversion;
//   3. starts the CLI on a free port with each framework (and once with --prefix), GETs /v2.1/os-hypervisors as admin (200),
//      stops it with SIGTERM and expects a clean exit 0;
//   4. `import`s the bundled sample file into a fresh SQLite file, a bad file into another (exit 1, the
//      row and field named, nothing written), then serves the first with `--db` (200, same count).
//   5. starts it with --metrics-port and JSON logs on a database URL with a password that cannot be
//      reached: /healthz 200, /readyz 503, /metrics served, and the password in no output line.
// Prints one line and exits non-zero on the first failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/server/dist/cli.js');
const TIMEOUT_MS = 20_000;

const fail = (message) => {
  console.log(`smoke-dist: FAILED: ${message}`);
  process.exit(1);
};

/** Runs the CLI to completion; resolves {code, signal, stdout, stderr}. */
const runCli = (args, { onStdout, timeoutMs = TIMEOUT_MS, env } = {}) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(env === undefined ? {} : { env }) });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });

const get = (url, headers) =>
  new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });

// 1. Every package's built entry point, imported by plain Node.
const packages = readdirSync(join(root, 'packages')).filter((p) => existsSync(join(root, 'packages', p, 'package.json')));
for (const name of packages) {
  const pkg = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
  const entry = join(root, 'packages', name, 'dist/index.js');
  if (!existsSync(entry)) fail(`${pkg.name}: ${entry} missing (run the build first)`);
  try {
    await import(pathToFileURL(entry).href);
  } catch (e) {
    fail(`${pkg.name}: import dist/index.js: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : e}`);
  }
}

// 2. The CLI's own answers.
if (!readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node')) fail(`${cli} has no shebang`);
const help = await runCli(['--help']);
if (help.code !== 0 || !help.stdout.includes('Usage: os-hypervisors-server')) fail(`--help: exit ${help.code}, ${help.stderr.trim()}`);
const bad = await runCli(['--no-such-flag']);
if (bad.code !== 2 || !bad.stderr.includes('Usage:') || /\n\s+at /.test(bad.stderr)) fail(`bad flag: exit ${bad.code}, stderr ${JSON.stringify(bad.stderr.slice(0, 200))}`);

const openapi = await runCli(['openapi', '--microversion', '2.53']);
let openapiPaths = 0;
try {
  const doc = JSON.parse(openapi.stdout);
  if (doc.openapi !== '3.1.0') fail(`openapi: not an OpenAPI 3.1 document: ${openapi.stdout.slice(0, 100)}`);
  openapiPaths = Object.keys(doc.paths).length;
} catch (e) {
  fail(`openapi --microversion 2.53: exit ${openapi.code}, ${e instanceof Error ? e.message : e}: ${openapi.stderr.trim()}`);
}

/** Starts the CLI with `args`, GETs the list as admin, stops it with SIGTERM; returns the count. */
const serveOnce = async (label, args) => {
  let answer;
  const run = await runCli(['--port', '0', ...args], {
    onStdout: (out, child) => {
      const m = /os-hypervisors listening on (http:\/\/[^\s"]+)/.exec(out);
      if (m === null || answer !== undefined) return;
      answer = get(`${m[1]}/os-hypervisors`, { 'X-Auth-Token': 'admin:admin' })
        .then((res) => res, (e) => ({ status: 0, body: String(e) }))
        .finally(() => child.kill('SIGTERM'));
    },
  });
  if (answer === undefined) fail(`${label}: the CLI never printed its URL (exit ${run.code}/${run.signal}): ${run.stderr.trim()}`);
  const res = await answer;
  if (res.status !== 200) fail(`${label}: GET /v2.1/os-hypervisors answered ${res.status}: ${res.body.slice(0, 200)}`);
  const count = JSON.parse(res.body).hypervisors?.length;
  if (typeof count !== 'number' || count === 0) fail(`${label}: no hypervisors in ${res.body.slice(0, 200)}`);
  if (run.code !== 0) fail(`${label}: SIGTERM did not stop the server cleanly (exit ${run.code}/${run.signal}): ${run.stderr.trim()}`);
  return count;
};

// 3. Serve, answer, stop — with each framework.
const served = [];
for (const framework of ['express', 'koa', 'fastify', 'fetch']) served.push(`${framework} ${await serveOnce(framework, ['--framework', framework])}`);
served.push(`fastify --prefix /compute ${await serveOnce('--prefix', ['--framework', 'fastify', '--prefix', '/compute'])}`);

// 4. import, then serve from the database.
const scratch = mkdtempSync(join(tmpdir(), 'osh-smoke-'));
try {
  const sample = join(root, 'packages/server/data/sample-dataset.json');
  const db = `sqlite:${join(scratch, 'osh.db')}`;
  const imported = await runCli(['import', '--data', sample, '--db', db]);
  if (imported.code !== 0 || !imported.stdout.includes('imported')) fail(`import: exit ${imported.code}: ${imported.stderr.trim()}`);
  const broken = JSON.parse(readFileSync(sample, 'utf8'));
  broken.compute_nodes[1].vcpus = 'many';
  writeFileSync(join(scratch, 'broken.json'), JSON.stringify(broken));
  const refused = await runCli(['import', '--data', join(scratch, 'broken.json'), '--db', `sqlite:${join(scratch, 'broken.db')}`]);
  if (refused.code !== 1 || !/vcpus/.test(refused.stderr) || /\n\s+at /.test(refused.stderr)) fail(`bad import: exit ${refused.code}, stderr ${JSON.stringify(refused.stderr.slice(0, 300))}`);
  // The sample's heartbeats are fixed in the past: a long service-down-time keeps them up.
  served.push(`sqlite ${await serveOnce('--db sqlite', ['--db', db, '--service-down-time', '999999999'])}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// 5. The metrics listener and JSON logs (lazy-loaded subpath entry points), and no password in any output.
{
  const password = 'Smoke-pw-4711';
  let checks;
  const run = await runCli(['--port', '0', '--metrics-port', '0', '--log-format', 'json', '--db', `postgres://osh:${password}@127.0.0.1:1/osh`], {
    onStdout: (out, child) => {
      const line = out.split('\n').find((l) => l.includes('os-hypervisors listening on'));
      if (line === undefined || checks !== undefined) return;
      const { readiness } = JSON.parse(line);
      const base = readiness.replace(/\/readyz$/, '');
      checks = Promise.all(['/healthz', '/readyz', '/metrics'].map((p) => get(`${base}${p}`, {})))
        .then((r) => r, (e) => [{ status: 0, body: String(e) }])
        .finally(() => child.kill('SIGTERM'));
    },
  });
  if (checks === undefined) fail(`--metrics-port: the CLI never logged its URL (exit ${run.code}/${run.signal}): ${run.stderr.trim()} ${run.stdout.trim()}`);
  const [healthz, readyz, metrics] = await checks;
  if (healthz?.status !== 200 || readyz?.status !== 503 || metrics?.status !== 200 || !metrics.body.includes('os_hypervisors_dependency_up')) {
    fail(`--metrics-port: /healthz ${healthz?.status}, /readyz ${readyz?.status} (want 503: the database is unreachable), /metrics ${metrics?.status}`);
  }
  if (`${run.stdout}${run.stderr}${readyz.body}`.includes(password)) fail('--db password written to the output or /readyz');
  if (run.code !== 0) fail(`--metrics-port: SIGTERM did not stop the server cleanly (exit ${run.code}/${run.signal}): ${run.stderr.trim()}`);
}

// 6. --auth keystone loads @os-hypervisors/keystone lazily and says what is missing, never the password.
{
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
  const missing = await runCli(['--auth', 'keystone', '--port', '0'], { env: { ...env, OS_AUTH_URL: 'http://127.0.0.1:1/v3', OS_USERNAME: 'nova', OS_PASSWORD: 'smoke-secret' } });
  if (missing.code !== 1 || !/OS_USER_DOMAIN_NAME/.test(missing.stderr) || /smoke-secret/.test(missing.stderr + missing.stdout) || /\n\s+at /.test(missing.stderr)) {
    fail(`--auth keystone without a user domain: exit ${missing.code}, stderr ${JSON.stringify(missing.stderr.slice(0, 300))}`);
  }
}

console.log(`smoke-dist: ok (${packages.length} packages imported; CLI --help/bad flag ok; openapi 2.53 has ${openapiPaths} paths; import ok, bad file refused; served ${served.join(', ')} hypervisors with 200 and stopped on SIGTERM; metrics listener: /healthz 200, /readyz 503 with the database down, no password in the logs; --auth keystone settings checked)`);
