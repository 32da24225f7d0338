import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@os-hypervisors/observability/logging';
import { startServer, type RunningServer } from '../../src/index.js';
import { rawRequest } from '../http-suite/raw-request.js';
import { describeOnServer, type TestDatabase } from '../../../storage-sql/test/support/test-servers.js';
import { TcpProxy } from '../../../storage-sql/test/support/tcp-proxy.js';

const PASSWORD = 'Pr0xy-s3cret-pw';
const TOKEN = 'gAAAAABn-secret-keystone-token-0123456789';
const SERVICE_TOKEN = 'gAAAAABn-secret-service-token-9876543210';

/** A pino destination that keeps every line (JSON, one object per line). */
const captured = () => {
  let text = '';
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { text += chunk.toString('utf8'); done(); } });
  return { stream, text: () => text, lines: () => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
};

const poll = async <T>(what: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (until(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
};

await describeOnServer('postgres', (db) => {
  describe('readiness and logs while the database goes away and comes back (PostgreSQL behind a TCP proxy)', () => {
    let database: TestDatabase;
    let proxy: TcpProxy;
    let server: RunningServer;
    const log = captured();
    const ready = () => rawRequest(server.metricsUrl!, '/readyz');
    const api = (headers: Record<string, string> = {}) => rawRequest(server.url, '/v2.1/os-hypervisors', {
      headers: {
        'X-Identity-Status': 'Confirmed', 'X-User-Id': 'alice', 'X-Project-Id': 'p1', 'X-Roles': 'admin,reader',
        'OpenStack-System-Scope': 'all', 'X-Auth-Token': TOKEN, 'X-Service-Token': SERVICE_TOKEN, ...headers,
      },
    });

    beforeAll(async () => {
      database = await db.createDatabase();
      proxy = await TcpProxy.start({ host: db.host, port: db.port });
      const url = new URL(database.url);
      url.host = `127.0.0.1:${proxy.port}`;
      url.password = PASSWORD; // trust authentication ignores it; it must still never be written anywhere
      const logger = await createLogger({ format: 'json', destination: log.stream });
      server = await startServer({
        port: 0, db: url.toString(), dbOptions: { acquireTimeoutMs: 500, queryTimeoutMs: 1000 }, trustKeystoneHeaders: true,
        logger, metrics: { port: 0 },
      });
    });
    afterAll(async () => {
      await server?.close();
      await proxy?.close();
      await database?.drop();
    });

    it('is live and ready while the database answers', async () => {
      expect((await rawRequest(server.metricsUrl!, '/healthz')).status).toBe(200);
      const res = await ready();
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ status: 'ready', checks: [{ name: 'storage', ok: true }] });
      expect((await api()).status).toBe(200);
      // The pool's occupancy, read from pg's pool at the scrape (storage-sql's poolStats()).
      const metrics = (await rawRequest(server.metricsUrl!, '/metrics')).body;
      expect(metrics).toMatch(/^os_hypervisors_db_pool_max\{pool="storage"\} 10$/m);
      const idle = /^os_hypervisors_db_pool_connections\{pool="storage",state="idle"\} (\d+)$/m.exec(metrics);
      const busy = /^os_hypervisors_db_pool_connections\{pool="storage",state="busy"\} (\d+)$/m.exec(metrics);
      expect(Number(idle?.[1])).toBeGreaterThanOrEqual(1); // the connections the requests above used, back in the pool
      expect(Number(busy?.[1])).toBe(0);
      expect(metrics).toMatch(/^os_hypervisors_db_pool_connections\{pool="storage",state="waiting"\} 0$/m);
    });

    it('turns not ready (503) while the database is unreachable, and ready again once it is back', async () => {
      await proxy.refuse();
      const down = await poll(ready, (r) => r.status === 503);
      expect(down.status).toBe(503);
      const body = JSON.parse(down.body) as { status: string; checks: Array<{ name: string; ok: boolean; reason?: string }> };
      expect(body.status).toBe('not ready');
      expect(body.checks[0]).toMatchObject({ name: 'storage', ok: false });
      expect(body.checks[0]!.reason).toMatch(/^unavailable: /);
      expect(down.body).not.toContain(PASSWORD);
      expect((await rawRequest(server.metricsUrl!, '/healthz')).status).toBe(200); // alive all the same
      expect((await api()).status).toBe(503);
      const metrics = await rawRequest(server.metricsUrl!, '/metrics');
      expect(metrics.body).toMatch(/^os_hypervisors_dependency_up\{dependency="storage"\} 0$/m);

      await proxy.restore();
      const up = await poll(ready, (r) => r.status === 200);
      expect(up.status).toBe(200);
      expect((await api()).status).toBe(200);
      expect((await rawRequest(server.metricsUrl!, '/metrics')).body).toMatch(/^os_hypervisors_dependency_up\{dependency="storage"\} 1$/m);
    });

    it('logged one line per request, and the outage and recovery once each', () => {
      const lines = log.lines();
      const requests = lines.filter((l) => l.msg === 'request' || l.msg === 'request failed');
      expect(requests.map((l) => l.status)).toEqual([200, 503, 200]);
      expect(requests[0]).toMatchObject({
        level: 30, method: 'GET', route: '/os-hypervisors', status: 200, microversion: '2.1', user_id: 'alice', project_id: 'p1',
        rule: 'os_compute_api:os-hypervisors:list', grant: 'system',
      });
      expect(typeof requests[0]!.duration_ms).toBe('number');
      expect(requests[0]!.request_id).toMatch(/^req-[0-9a-f-]{36}$/);
      expect(requests.find((l) => l.status === 503)).toMatchObject({ level: 50, msg: 'request failed' });
      const transitions = lines.filter((l) => l.dependency === 'storage').map((l) => l.msg);
      expect(transitions).toEqual(['dependency outage', 'dependency recovered']);
    });

    it('never wrote a token, a password or a connection URL with credentials', () => {
      const text = log.text();
      expect(text.length).toBeGreaterThan(0);
      for (const secret of [PASSWORD, TOKEN, SERVICE_TOKEN, encodeURIComponent(PASSWORD)]) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/postgres(ql)?:\/\/[^\s"]*:[^\s"*]+@/);
    });
  });
});

describe('a logger handed secrets by mistake', () => {
  it('blanks token, password and header fields, and scrubs URLs and password= in messages', async () => {
    const log = captured();
    const logger = await createLogger({ format: 'json', destination: log.stream });
    logger.info({ password: PASSWORD, token: TOKEN, headers: { 'x-auth-token': TOKEN } }, 'fields');
    logger.warn(`cannot reach postgres://nova:${PASSWORD}@db:5432/nova (password=${PASSWORD})`);
    logger.error({ err: new Error(`login failed for mysql://root:${PASSWORD}@db/nova`) }, 'failed');
    const text = log.text();
    expect(log.lines()).toHaveLength(3);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('postgres://nova:***@db:5432/nova');
  });

  it('pretty-prints on request, and is JSON when the output is not a terminal', async () => {
    const pretty = captured();
    await createLogger({ format: 'pretty', destination: pretty.stream }).then((l) => l.info({ route: '/os-hypervisors' }, 'request'));
    expect(pretty.text()).toMatch(/INFO.*request/);
    expect(() => JSON.parse(pretty.text())).toThrow();
    const auto = captured();
    await createLogger({ format: 'auto', destination: auto.stream }).then((l) => l.info('x'));
    expect(auto.lines()[0]).toMatchObject({ level: 30, msg: 'x', service: 'os-hypervisors' });
  });
});
