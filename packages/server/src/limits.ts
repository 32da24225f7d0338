import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { DEFAULT_CONFIG, faultBody, pyDumps, type CoreResponse, type Handler } from '@os-hypervisors/core';

/**
 * The HTTP server's own limits (the API's answers are the core's business; these protect the process).
 * Every one has a default, so a server started without flags is bounded too.
 */
export interface ServerLimits {
  /** Largest request head (request line and headers) in bytes; Node answers 431 beyond it. Default 16 KiB. */
  readonly maxHeaderSize?: number;
  /** Largest request body to the API in bytes: more gets 413, as oslo.middleware's size limit in Nova. Default 114,688. */
  readonly maxBodySize?: number;
  /** Longest wait for a request's complete head (slowloris); Node answers 408. Default 60 s. */
  readonly headersTimeoutMs?: number;
  /** Longest wait for a complete request, head and body; Node answers 408. Default 300 s. */
  readonly requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open. Default 5 s. */
  readonly keepAliveTimeoutMs?: number;
  /** Most open connections; one more is answered 503 and closed. Default 1,000. */
  readonly maxConnections?: number;
  /** On shutdown, longest wait for in-flight requests; those still running then get a 503. Default 10 s. */
  readonly shutdownTimeoutMs?: number;
}

export const DEFAULT_LIMITS: Required<ServerLimits> = {
  maxHeaderSize: 16_384,
  maxBodySize: DEFAULT_CONFIG.maxBodySize,
  headersTimeoutMs: 60_000,
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_000,
  shutdownTimeoutMs: 10_000,
};

const SERVICE_UNAVAILABLE = (message: string): CoreResponse => ({
  status: 503,
  headers: [['Content-Type', 'application/json; charset=UTF-8'], ['Connection', 'close']],
  body: pyDumps(faultBody({ status: 503, message })),
});

export const SHUTDOWN_MESSAGE = 'The server is shutting down and the request did not finish in time. Please retry.';
export const TOO_MANY_CONNECTIONS_MESSAGE = 'The server has too many open connections. Please retry.';

/**
 * `createServer` options for the limits Node fixes at creation. Node requires headersTimeout <= requestTimeout
 * (a head cannot outlive its request), and checks both only every `connectionsCheckingInterval` (30 s by
 * default): a short limit needs a short check.
 */
export const serverOptions = (limits: Required<ServerLimits>): ServerOptions => ({
  maxHeaderSize: limits.maxHeaderSize,
  requestTimeout: limits.requestTimeoutMs,
  headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
  keepAliveTimeout: limits.keepAliveTimeoutMs,
  connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4))),
});

/**
 * The connection limit. Node's own `maxConnections` resets an extra connection; a 503 fault tells the
 * client what happened.
 */
export const limitConnections = (server: Server, maxConnections: number): void => {
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    if (open.size >= maxConnections) {
      const answer = SERVICE_UNAVAILABLE(TOO_MANY_CONNECTIONS_MESSAGE);
      socket.end(`HTTP/1.1 503 Service Unavailable\r\n${answer.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}Content-Length: ${Buffer.byteLength(answer.body)}\r\n\r\n${answer.body}`);
      return;
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
};

/**
 * The handler as the server runs it: in-flight requests are known, so a shutdown can wait for them and,
 * at its limit, answer those still running with a 503 (the adapter writes it as any answer; the late
 * result is dropped) instead of cutting their connections.
 */
export class InFlightRequests {
  private readonly pending = new Set<(response: CoreResponse) => void>();
  private idle: (() => void) | undefined;
  private closing = false;

  readonly handler: Handler;

  constructor(inner: Handler) {
    this.handler = (request, credentials) => new Promise<CoreResponse>((resolve, reject) => {
      let settled = false;
      const settle = (answer: CoreResponse) => {
        if (settled) return;
        // Once shutting down, every answer closes its connection rather than waiting for another request.
        const response = this.closing && !answer.headers.some(([k]) => k.toLowerCase() === 'connection')
          ? { ...answer, headers: [...answer.headers, ['Connection', 'close'] as const] }
          : answer;
        settled = true;
        this.pending.delete(settle);
        resolve(response);
        if (this.pending.size === 0) this.idle?.();
      };
      this.pending.add(settle);
      inner(request, credentials).then(settle, (e: unknown) => {
        this.pending.delete(settle);
        settled = true;
        reject(e);
        if (this.pending.size === 0) this.idle?.();
      });
    });
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves true when every in-flight request finished within `ms`; else answers the rest 503 and resolves false. */
  drain(ms: number): Promise<boolean> {
    this.closing = true;
    if (this.pending.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idle = undefined;
        for (const settle of [...this.pending]) settle(SERVICE_UNAVAILABLE(SHUTDOWN_MESSAGE));
        resolve(false);
      }, ms);
      this.idle = () => {
        clearTimeout(timer);
        this.idle = undefined;
        resolve(true);
      };
    });
  }
}
