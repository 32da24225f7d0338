import { request as httpRequest, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * What the proxy does with each request: pass it on; answer it itself with `status` (a Keystone answering
 * 5xx); never answer (a Keystone that hangs: clients time out); or stop listening (connection refused, as a
 * stopped Keystone).
 */
export type FaultMode = 'pass' | 'hang' | 'down' | { status: number; body?: string; contentType?: string };

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  readonly mode: FaultMode;
  /** Requests seen since start (all modes but `down`), e.g. to count Keystone calls. */
  readonly requests: readonly { method: string; path: string }[];
  setMode(mode: FaultMode): Promise<void>;
  close(): Promise<void>;
}

/**
 * An HTTP proxy on loopback in front of `target` (e.g. a Keystone) whose failures a test switches on and
 * off. Register `proxy.url + '/v3'` as the identity endpoint (`keystone.registerEndpoint('identity', …)`)
 * so that clients which follow the catalog go through it too.
 */
export async function startFaultProxy(target: string, port = 0): Promise<FaultProxy> {
  const upstream = new URL(target);
  let mode: FaultMode = 'pass';
  const requests: { method: string; path: string }[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/' });
    if (mode === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (typeof mode === 'object') {
      const body = mode.body ?? '';
      res.writeHead(mode.status, { 'Content-Type': mode.contentType ?? 'text/plain', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      req.resume();
      return;
    }
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    // Upstream down: drop the client's connection, as an unreachable server would look to it.
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  let server: Server | undefined;
  const listen = (p: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer(handle);
      s.on('connection', (sock) => {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
      });
      s.once('error', reject);
      s.listen(p, '127.0.0.1', () => resolve(s));
    });
  const shut = async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    for (const r of hanging) r.destroy();
    for (const sock of sockets) sock.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  server = await listen(port);
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;

  return {
    url: `http://127.0.0.1:${boundPort}`,
    port: boundPort,
    get mode() {
      return mode;
    },
    requests,
    async setMode(next) {
      if (next === 'down' && server) await shut();
      if (next !== 'down' && !server) server = await listen(boundPort);
      if (mode === 'hang' && next !== 'hang') for (const r of hanging) r.destroy();
      mode = next;
    },
    close: shut,
  };
}
