import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  createHandler,
  createPolicy,
  credentialResolvers,
  type ApiConfig,
  type Clock,
  type Dataset,
  type Handler,
  type HypervisorStorage,
  type Profile,
  type UptimeProvider,
} from '@os-hypervisors/core';
import { MemoryStorage } from '@os-hypervisors/storage-memory';
import { afterAll, beforeAll, describe } from 'vitest';
import { describeListing } from './listing.js';
import { describeNegotiation } from './negotiation.js';
import { describePolicy } from './policy.js';
import { describeRouting } from './routing.js';
import { describeSingleHypervisor } from './single.js';
import { SuiteContext, type SuiteServers, type SuiteTransport } from './context.js';

/** Everything a server under test is built from; the suite decides it, the adapter line does not. */
export interface SuiteServerOptions {
  readonly dataset: Dataset;
  readonly profile: Profile;
  readonly clock: Clock;
  readonly config?: Partial<ApiConfig>;
  readonly uptime?: UptimeProvider;
  readonly trustKeystoneHeaders: boolean;
}

export interface RunningServer {
  readonly baseUrl: string;
  close(): Promise<void>;
}

export type StartServer = (options: SuiteServerOptions) => Promise<RunningServer>;

/** A storage backend for the suite: built from the dataset, closed after. */
export type StorageFactory = (dataset: Dataset) => Promise<{ storage: HypervisorStorage; close(): Promise<void> }>;

export const memoryStorage: StorageFactory = async (dataset) => ({ storage: new MemoryStorage(dataset), close: async () => {} });

/** Listens on 127.0.0.1, port 0 (a free one), and closes every kept-alive socket on close. */
export const listenOn = (listener: RequestListener): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    const server = createServer(listener);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });

/**
 * Builds the real handler (real policy, real credential resolvers) over a storage backend and serves it
 * through one framework: `startWith((handler) => listenOn(app(handler)))`.
 */
export const startWith = (serve: (handler: Handler) => Promise<RunningServer>, storageFactory: StorageFactory = memoryStorage): StartServer =>
  async (options) => {
    const policy = createPolicy({ profile: options.profile });
    if (isLeft(policy)) throw new Error(`policy: ${JSON.stringify(policy.left)}`);
    const { storage, close: closeStorage } = await storageFactory(options.dataset);
    const handler = createHandler({
      storage,
      authorizer: policy.right,
      clock: options.clock,
      uptime: options.uptime,
      config: { ...options.config, profile: options.profile },
      credentialResolvers: credentialResolvers({ trustKeystoneHeaders: options.trustKeystoneHeaders }),
    });
    const running = await serve(handler);
    return { baseUrl: running.baseUrl, close: async () => { await running.close(); await closeStorage(); } };
  };

/**
 * The shared HTTP behaviour suite: every route × microversion boundary and every error of the
 * reference (os-hypervisors.md §§2–11, microversions.md §§2–5), over a real socket.
 * One line per adapter or storage backend runs it.
 */
export const describeHttpBehaviour = (name: string, start: StartServer, transport: SuiteTransport = {}): void => {
  describe(`HTTP behaviour: ${name}`, () => {
    const ctx = new SuiteContext(start, transport);
    beforeAll(() => ctx.startAll(), 60_000);
    afterAll(() => ctx.closeAll());
    describeNegotiation(ctx);
    describeRouting(ctx);
    describeListing(ctx);
    describeSingleHypervisor(ctx);
    describePolicy(ctx);
  });
};

export type { SuiteServers, SuiteTransport };
