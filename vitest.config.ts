import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from source, so a test run never depends on a stale dist/.
// The built dist/ is exercised separately by scripts/smoke-dist.mjs with plain Node.
const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@os-hypervisors\/core$/, replacement: pkg('core') },
      { find: /^@os-hypervisors\/storage-memory$/, replacement: pkg('storage-memory') },
      { find: /^@os-hypervisors\/storage-sql$/, replacement: pkg('storage-sql') },
      { find: /^@os-hypervisors\/storage-nova$/, replacement: pkg('storage-nova') },
      { find: /^@os-hypervisors\/express$/, replacement: pkg('express') },
      { find: /^@os-hypervisors\/koa$/, replacement: pkg('koa') },
      { find: /^@os-hypervisors\/fetch$/, replacement: pkg('fetch') },
      { find: /^@os-hypervisors\/fetch\/node$/, replacement: fileURLToPath(new URL('./packages/fetch/src/node.ts', import.meta.url)) },
      { find: /^@os-hypervisors\/fastify$/, replacement: pkg('fastify') },
      { find: /^@os-hypervisors\/observability$/, replacement: pkg('observability') },
      { find: /^@os-hypervisors\/observability\/(\w[\w-]*)$/, replacement: fileURLToPath(new URL('./packages/observability/src/$1.ts', import.meta.url)) },
      { find: /^@os-hypervisors\/keystone$/, replacement: pkg('keystone') },
      { find: /^@os-hypervisors\/cache-redis$/, replacement: pkg('cache-redis') },
      { find: /^@os-hypervisors\/server$/, replacement: pkg('server') },
      { find: /^@os-hypervisors\/testing$/, replacement: pkg('testing') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // CI reads the JSON report to print a plain "N passed, N failed" line (.ci/run).
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/vitest-report.json' }]] : ['default'],
  },
});
