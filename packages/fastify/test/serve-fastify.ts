import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { RunningServer } from '../../server/test/http-suite/index.js';

/** A Fastify app with its defaults, listening on a free loopback port. */
export const serveFastify = async (register: (app: FastifyInstance) => void): Promise<RunningServer> => {
  const app = Fastify();
  register(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
};
