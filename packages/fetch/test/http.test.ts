import { Hono } from 'hono';
import { createFetchHandler, createHonoHandler } from '../src/index.js';
import { nodeListener } from '../src/node.js';
import { describeHttpBehaviour, listenOn, startWith } from '../../server/test/http-suite/index.js';
import { serveHono } from './serve-hono.js';

// Node's own fetch types (Request/Response from undici), served through the package's node:http bridge.
describeHttpBehaviour('fetch (node:http bridge)', startWith((handler) => listenOn(nodeListener(createFetchHandler(handler)))), { joinsRepeatedFields: true });
// Inside a real Hono app, served by @hono/node-server.
describeHttpBehaviour('fetch in Hono', startWith((handler) => serveHono(new Hono().all('*', createHonoHandler(handler)))), { joinsRepeatedFields: true });
