import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';

/**
 * A tiny run of the soak script (bench/soak/soak.mjs; the real run is `pnpm soak`, minutes long):
 * the built server on PostgreSQL behind a proxy, random requests, one database outage. It must pass
 * its own checks (nothing lost, no 500, only clear 503s, recovery without restart) and report them.
 */
const ADMIN_URL = process.env.OSH_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const reachable = await new Promise<boolean>((resolve) => {
  const { hostname, port } = new URL(ADMIN_URL);
  const socket = connect(Number(port || 5432), hostname, () => { socket.end(); resolve(true); });
  socket.on('error', () => resolve(false));
});
if (!reachable && !process.env.CI) console.warn(`soak smoke run skipped: PostgreSQL not reachable at ${ADMIN_URL}`);

describe.skipIf(!reachable && !process.env.CI)('soak script, smoke run', () => {
  it('survives a database outage: every request answered, 503s clear, recovery without restart', async () => {
    const script = fileURLToPath(new URL('../../../bench/soak/soak.mjs', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'osh-soak-'));
    try {
      const reportFile = join(dir, 'report.json');
      const child = spawn(process.execPath, [script, '--duration', '14', '--clients', '2', '--every', '5', '--outage', '2', '--seed', '1', '--report', reportFile], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code, stderr).toBe(0);
      const report = JSON.parse(readFileSync(reportFile, 'utf8'));
      expect(report.problems).toEqual([]);
      expect(report.requests).toBeGreaterThan(0);
      expect(report.outages.length).toBeGreaterThanOrEqual(1);
      expect(report.outages.every((o: { recoveredAfterMs: number | null }) => o.recoveredAfterMs !== null)).toBe(true);
      expect(report.memory.start.heapMB).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
