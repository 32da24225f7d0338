import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Health } from './readiness.js';

export interface OpsServerOptions {
  /** Default 127.0.0.1: metrics and health are for the operator's network, not the tenants'. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Default `/metrics`. */
  readonly metricsPath?: string;
  /** What `/metrics` serves (a `Metrics` from ./metrics); absent, only health is served. */
  readonly metrics?: { render(): Promise<string>; readonly contentType: string };
  readonly health?: Health;
}

export interface OpsServer {
  /** `http://HOST:PORT`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const send = (res: ServerResponse, status: number, type: string, body: string): void => {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
};

/**
 * The operator's listener, apart from the API's port and path space (as oslo.middleware's healthcheck
 * sits outside Nova's API routes): `GET /healthz` (liveness: 200 while the process serves), `GET /readyz`
 * (readiness: 200, or 503 while a required dependency is down, with each probe's result as JSON) and the
 * Prometheus text exposition at `metricsPath`.
 */
export const startOpsServer = async (options: OpsServerOptions): Promise<OpsServer> => {
  const metricsPath = options.metricsPath ?? '/metrics';
  const listener = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') return send(res, 200, 'application/json', '{"status":"ok"}\n');
    if (path === '/readyz') {
      const readiness = options.health === undefined ? { ready: true, checks: [] } : await options.health.readiness();
      return send(res, readiness.ready ? 200 : 503, 'application/json', `${JSON.stringify({ status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks })}\n`);
    }
    if (path === metricsPath && options.metrics !== undefined) return send(res, 200, options.metrics.contentType, await options.metrics.render());
    return send(res, 404, 'text/plain', 'not found\n');
  };
  const server = createServer((req, res) => {
    listener(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
};
