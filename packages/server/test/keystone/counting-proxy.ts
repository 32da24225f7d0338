import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of the real Keystone that counts what reaches it, so a test can say how
 * many validations (`GET /v3/auth/tokens`) a burst of requests caused. It forwards bytes unchanged.
 */
export interface CountingProxy {
  readonly url: string;
  /** Requests forwarded, by `METHOD /path` (query dropped). */
  count(methodAndPath: string): number;
  /** The last value of `name` a forwarded request carried (e.g. the service's own X-Auth-Token). */
  lastHeader(name: string): string | undefined;
  reset(): void;
  close(): Promise<void>;
}

export const startCountingProxy = async (target: string): Promise<CountingProxy> => {
  const counts = new Map<string, number>();
  const lastHeaders = new Map<string, string>();
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const key = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') lastHeaders.set(name, value);
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    // Keystone down: the proxy closes the connection, as a refused connection would end the call.
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: (key) => counts.get(key) ?? 0,
    lastHeader: (name) => lastHeaders.get(name.toLowerCase()),
    reset: () => counts.clear(),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
};
