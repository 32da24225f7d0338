import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FRAMEWORKS, startServer, type RunningServer, type ServerOptions } from '../src/index.js';
import { SHUTDOWN_MESSAGE, TOO_MANY_CONNECTIONS_MESSAGE } from '../src/limits.js';
import { rawRequest } from './http-suite/raw-request.js';

/**
 * The server's limits over a real port, each flag's effect as a client sees it. Times are limits set
 * small (a fraction of a second) and checked against generous bounds, never measured.
 */

const ADMIN = { 'X-Auth-Token': 'admin:admin' };
const running: RunningServer[] = [];
const start = async (options: ServerOptions): Promise<RunningServer> => {
  const server = await startServer({ port: 0, ...options });
  running.push(server);
  return server;
};
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** Writes raw bytes on a fresh connection and collects everything until the server closes it (or `ms`). */
const rawExchange = (port: number, chunks: ReadonlyArray<string>, ms = 10_000): Promise<{ text: string; closedByServer: boolean }> =>
  new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => { socket.destroy(); resolve({ text, closedByServer: false }); }, ms);
    socket.on('data', (d: Buffer) => { text += d.toString('latin1'); });
    socket.on('error', (e) => { clearTimeout(timer); if (text === '') reject(e); else resolve({ text, closedByServer: true }); });
    socket.on('close', () => { clearTimeout(timer); resolve({ text, closedByServer: true }); });
    socket.on('connect', () => { for (const c of chunks) socket.write(c); });
  });

const statusOf = (text: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);

for (const framework of FRAMEWORKS) {
  describe(`body size (${framework})`, () => {
    it('refuses a body over the default 114,688 bytes with 413, as Nova', async () => {
      const server = await start({ framework });
      const big = await rawExchange(server.port, [
        `GET /v2.1/os-hypervisors HTTP/1.1\r\nHost: x\r\nX-Auth-Token: admin:admin\r\nContent-Length: 120000\r\nConnection: close\r\n\r\n${'a'.repeat(120_000)}`]);
      expect(statusOf(big.text)).toBe(413);
      expect(big.text).toContain('Request is too large. Larger than max_request_body_size (114688).');
      const fits = await rawExchange(server.port, [
        `GET /v2.1/os-hypervisors HTTP/1.1\r\nHost: x\r\nX-Auth-Token: admin:admin\r\nContent-Length: 114688\r\nConnection: close\r\n\r\n${'a'.repeat(114_688)}`]);
      expect(statusOf(fits.text)).toBe(200);
    });

    // The Fastify and Fetch adapters do not hand the body to the core yet: for them only a declared
    // Content-Length is checked (the first test); chunked bodies and version-document bodies are left.
    it.skipIf(framework === 'fastify' || framework === 'fetch')('--max-body-size: declared and chunked bodies over it get 413; the connection stays usable', async () => {
      const server = await start({ framework, limits: { maxBodySize: 100 } });
      const chunked = await rawExchange(server.port, [
        'GET /v2.1/os-hypervisors HTTP/1.1\r\nHost: x\r\nX-Auth-Token: admin:admin\r\nTransfer-Encoding: chunked\r\n\r\n',
        `c8\r\n${'b'.repeat(200)}\r\n0\r\n\r\n`,
        // a second request on the same connection is answered normally
        'GET /v2.1/os-hypervisors?limit=1 HTTP/1.1\r\nHost: x\r\nX-Auth-Token: admin:admin\r\nConnection: close\r\n\r\n',
      ], 3_000);
      const answers = chunked.text.split(/(?=HTTP\/1\.1 )/);
      expect(answers.map(statusOf)).toEqual([413, 200]);
      expect(answers[0]).toContain('Larger than max_request_body_size (100)');
      // a non-JSON body to a version document: Nova's "Malformed request body"
      const doc = await rawExchange(server.port, ['PUT /v2.1/ HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\nConnection: close\r\n\r\na=1&b=2']);
      expect(statusOf(doc.text)).toBe(400);
      expect(doc.text).toContain('Malformed request body');
    });
  });
}

describe('server limits', () => {
  it('--max-header-size: a larger request head gets 431', async () => {
    const server = await start({ limits: { maxHeaderSize: 2048 } });
    const res = await rawExchange(server.port, [`GET /v2.1/os-hypervisors HTTP/1.1\r\nHost: x\r\nX-Auth-Token: admin:admin\r\nX-Pad: ${'p'.repeat(4000)}\r\n\r\n`]);
    expect(statusOf(res.text)).toBe(431);
    const ok = await rawRequest(server.url, '/v2.1/os-hypervisors', { headers: { ...ADMIN, 'X-Pad': 'p'.repeat(500) } });
    expect(ok.status).toBe(200);
  });

  it('--headers-timeout: a request head that never completes gets 408 and the connection closes', async () => {
    const server = await start({ limits: { headersTimeoutMs: 300, requestTimeoutMs: 300 } });
    const res = await rawExchange(server.port, ['GET /v2.1/os-hypervisors HTTP/1.1\r\nHost: x\r\n']);
    expect(res.closedByServer).toBe(true);
    expect(statusOf(res.text)).toBe(408);
  });

  it('--request-timeout: a body that never arrives gets 408 and the connection closes', async () => {
    const server = await start({ limits: { requestTimeoutMs: 300 } });
    const res = await rawExchange(server.port, ['GET /v2.1/os-hypervisors HTTP/1.1\r\nHost: x\r\nX-Auth-Token: admin:admin\r\nContent-Length: 50\r\n\r\nabc']);
    expect(res.closedByServer).toBe(true);
    expect(statusOf(res.text)).toBe(408);
  });

  it('--keep-alive-timeout: an idle keep-alive connection is closed by the server', async () => {
    const server = await start({ limits: { keepAliveTimeoutMs: 200 } });
    const res = await rawExchange(server.port, ['GET /v2.1/os-hypervisors?limit=1 HTTP/1.1\r\nHost: x\r\nX-Auth-Token: admin:admin\r\n\r\n']);
    expect(statusOf(res.text)).toBe(200);
    expect(res.closedByServer).toBe(true);
  });

  it('--max-connections: one connection too many gets a 503 fault, not a reset', async () => {
    const server = await start({ limits: { maxConnections: 2 } });
    const held = await Promise.all([0, 1].map(() => new Promise<Socket>((resolve) => { const s = connect(server.port, '127.0.0.1', () => resolve(s)); })));
    try {
      const extra = await rawExchange(server.port, ['GET /v2.1/os-hypervisors HTTP/1.1\r\nHost: x\r\nX-Auth-Token: admin:admin\r\n\r\n']);
      expect(statusOf(extra.text)).toBe(503);
      expect(extra.text).toContain(TOO_MANY_CONNECTIONS_MESSAGE);
    } finally {
      for (const s of held) s.destroy();
    }
    // the held ones gone, a new connection is served
    await new Promise((r) => setTimeout(r, 100));
    expect((await rawRequest(server.url, '/v2.1/os-hypervisors', { headers: ADMIN })).status).toBe(200);
  });
});

describe('graceful shutdown', () => {
  /** An uptime provider that answers after `ms`, so a request is in flight while the server stops. */
  const slowUptime = (ms: number): ServerOptions['uptime'] => ({
    uptime: () => new Promise((resolve) => setTimeout(() => resolve({ kind: 'uptime', uptime: ' 10:00:00 up 1 day' }), ms)),
  });

  it('stops accepting, lets an in-flight request finish, then closes', async () => {
    const server = await startServer({ port: 0, uptime: slowUptime(400), uptimeTimeoutMs: 10_000, limits: { shutdownTimeoutMs: 10_000 } });
    const inFlight = rawRequest(server.url, '/v2.1/os-hypervisors/1/uptime', { headers: ADMIN });
    await new Promise((r) => setTimeout(r, 100));
    const closing = server.shutdown();
    await new Promise((r) => setTimeout(r, 20));
    await expect(rawRequest(server.url, '/v2.1/os-hypervisors', { headers: ADMIN })).rejects.toThrow(/ECONNREFUSED/);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).hypervisor.uptime).toBe(' 10:00:00 up 1 day');
    await expect(closing).resolves.toBe(true);
  });

  it('answers a request still running at --shutdown-timeout with a 503 fault instead of dropping it', async () => {
    const server = await startServer({ port: 0, uptime: slowUptime(60_000), uptimeTimeoutMs: 120_000, limits: { shutdownTimeoutMs: 300 } });
    const inFlight = rawRequest(server.url, '/v2.1/os-hypervisors/1/uptime', { headers: ADMIN });
    await new Promise((r) => setTimeout(r, 100));
    const closing = server.shutdown();
    const res = await inFlight;
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ serviceUnavailable: { code: 503, message: SHUTDOWN_MESSAGE } });
    await expect(closing).resolves.toBe(false);
  });

  it('the CLI exits 0 on SIGTERM, closing idle keep-alive connections', async () => {
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    const child = spawn(process.execPath, [cli, '--port', '0', '--shutdown-timeout', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /listening on (http:\/\/[^\s"]+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const port = Number(new URL(url).port);
    // an idle keep-alive connection must not hold the exit up
    const idle = rawExchange(port, ['GET /v2.1/os-hypervisors?limit=1 HTTP/1.1\r\nHost: x\r\nX-Auth-Token: admin:admin\r\n\r\n'], 15_000);
    await new Promise((r) => setTimeout(r, 200));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const conn = await idle;
    expect(statusOf(conn.text)).toBe(200);
    expect(conn.closedByServer).toBe(true);
    expect(out).toMatch(/"signal":"SIGTERM".*stopping: no new connections/);
  }, 20_000);
});
