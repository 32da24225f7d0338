import { Hono } from 'hono';
import { createFetchHandler, createHonoHandler } from '../src/index.js';
import { nodeListener } from '../src/node.js';
import { listenOn } from '../../server/test/http-suite/index.js';
import { describeMountedUnderCompute, MOUNT } from '../../server/test/http-suite/mounted.js';
import { serveHono } from './serve-hono.js';

describeMountedUnderCompute('fetch mountPath option', (handler) => listenOn(nodeListener(createFetchHandler(handler, { mountPath: MOUNT }))));
// Hono: a sub-app routed under the mount (app.route), and an app with a basePath.
describeMountedUnderCompute('Hono app.route(/compute)', (handler) => {
  const hypervisors = createFetchHandler(handler, { mountPath: MOUNT });
  return serveHono(new Hono().route(MOUNT, new Hono().all('*', (c) => hypervisors(c.req.raw))));
});
describeMountedUnderCompute('Hono basePath(/compute)', (handler) => {
  const hypervisors = createFetchHandler(handler, { mountPath: MOUNT });
  return serveHono(new Hono().basePath(MOUNT).all('*', (c) => hypervisors(c.req.raw)) as unknown as Hono);
});
// Hono's app.mount() hands the Fetch handler over whole; it keeps the URL intact with replaceRequest: false.
describeMountedUnderCompute('Hono app.mount(/compute, …, { replaceRequest: false })', (handler) =>
  serveHono(new Hono().mount(MOUNT, createFetchHandler(handler, { mountPath: MOUNT }), { replaceRequest: false })));
// The mount Hono reports (the matched route's static part), no option: app.route, basePath, a /compute/* route.
describeMountedUnderCompute('createHonoHandler in app.route(/compute)', (handler) =>
  serveHono(new Hono().route(MOUNT, new Hono().all('*', createHonoHandler(handler)))));
describeMountedUnderCompute('createHonoHandler in basePath(/compute)', (handler) =>
  serveHono(new Hono().basePath(MOUNT).all('*', createHonoHandler(handler)) as unknown as Hono));
describeMountedUnderCompute('createHonoHandler on /compute and /compute/*', (handler) => {
  const hypervisors = createHonoHandler(handler);
  return serveHono(new Hono().all(MOUNT, hypervisors).all(`${MOUNT}/*`, hypervisors));
});
