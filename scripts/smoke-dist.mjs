#!/usr/bin/env node
// Smoke test of the BUILT packages with plain Node (no vitest, no TypeScript, no aliases), to catch what
// only shows up there: ESM/CJS interop (e.g. `fp-ts/Either` vs `fp-ts/lib/Either.js`), missing `.js`
// extensions, decorator metadata, a bin without its shebang. It
//   1. imports every package's dist/index.js;
//   2. runs the built CLI: --help (exit 0), a bad flag (usage, exit 2, no stack trace);
//   3. starts the CLI on a free port with each framework, GETs /v2.1/os-hypervisors as admin (200),
//      stops it with SIGTERM and expects a clean exit 0.
// Prints one line and exits non-zero on the first failure.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
const runCli = (args, { onStdout, timeoutMs = TIMEOUT_MS } = {}) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

// 3. Serve, answer, stop — with each framework.
const served = [];
for (const framework of ['express', 'koa']) {
  let answer;
  const run = await runCli(['--port', '0', '--framework', framework], {
    onStdout: (out, child) => {
      const m = /os-hypervisors listening on (http:\/\/\S+)/.exec(out);
      if (m === null || answer !== undefined) return;
      answer = get(`${m[1]}/os-hypervisors`, { 'X-Auth-Token': 'admin:admin' })
        .then((res) => res, (e) => ({ status: 0, body: String(e) }))
        .finally(() => child.kill('SIGTERM'));
    },
  });
  if (answer === undefined) fail(`${framework}: the CLI never printed its URL (exit ${run.code}/${run.signal}): ${run.stderr.trim()}`);
  const res = await answer;
  if (res.status !== 200) fail(`${framework}: GET /v2.1/os-hypervisors answered ${res.status}: ${res.body.slice(0, 200)}`);
  const count = JSON.parse(res.body).hypervisors?.length;
  if (typeof count !== 'number' || count === 0) fail(`${framework}: no hypervisors in ${res.body.slice(0, 200)}`);
  if (run.code !== 0) fail(`${framework}: SIGTERM did not stop the server cleanly (exit ${run.code}/${run.signal}): ${run.stderr.trim()}`);
  served.push(`${framework} ${count}`);
}

console.log(`smoke-dist: ok (${packages.length} packages imported; CLI --help/bad flag ok; served ${served.join(', ')} hypervisors with 200 and stopped on SIGTERM)`);
