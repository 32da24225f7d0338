// The server under soak, in its own process (started by bench/soak/soak.mjs with --expose-gc and an
// IPC channel): the real @os-hypervisors/server on a SQL database. It answers two IPC messages:
// `memory` (heap and RSS after a full GC) and `stop` (graceful shutdown, then exit 0).
import { startServer } from '../../packages/server/dist/index.js';

const options = JSON.parse(process.argv[2]);
const server = await startServer({ port: 0, profile: 'nova', ...options });
process.send({ kind: 'ready', url: server.url, port: server.port, warning: server.storageWarning ?? null });
// The driver gone (crashed or killed): go too, rather than linger.
process.on('disconnect', () => process.exit(1));
process.on('message', async (message) => {
  if (message.kind === 'memory') {
    globalThis.gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    process.send({ kind: 'memory', heapUsed, rss });
  } else if (message.kind === 'stop') {
    const finished = await server.shutdown();
    process.send({ kind: 'stopped', finished });
    process.exit(0);
  }
});
