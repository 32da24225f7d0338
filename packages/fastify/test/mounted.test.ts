import { hypervisorsPlugin } from '../src/index.js';
import { describeMountedUnderCompute, MOUNT } from '../../server/test/http-suite/mounted.js';
import { serveFastify } from './serve-fastify.js';

// The plugin's `prefix`, directly and inside a parent plugin registered with it.
describeMountedUnderCompute('fastify register prefix', (handler) => serveFastify((app) => app.register(hypervisorsPlugin, { handler, prefix: MOUNT })));
describeMountedUnderCompute('fastify nested prefix', (handler) => serveFastify((app) => app.register(async (parent) => {
  await parent.register(hypervisorsPlugin, { handler });
}, { prefix: MOUNT })));
