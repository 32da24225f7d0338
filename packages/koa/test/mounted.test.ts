import Koa from 'koa';
import mount from 'koa-mount';
import Router from '@koa/router';
import { hypervisorsMiddleware } from '../src/index.js';
import { listenOn } from '../../server/test/http-suite/index.js';
import { describeMountedUnderCompute, MOUNT } from '../../server/test/http-suite/mounted.js';

// The prefix koa-mount strips, an @koa/router prefix, then the explicit option at the root.
describeMountedUnderCompute('koa-mount /compute', (handler) => listenOn(new Koa().use(mount(MOUNT, hypervisorsMiddleware(handler))).callback()));
describeMountedUnderCompute('@koa/router prefix /compute', (handler) => {
  const router = new Router({ prefix: MOUNT });
  router.all('/', hypervisorsMiddleware(handler)).all('/{*rest}', hypervisorsMiddleware(handler));
  return listenOn(new Koa().use(router.routes()).callback());
});
describeMountedUnderCompute('koa mountPath option', (handler) => listenOn(new Koa().use(hypervisorsMiddleware(handler, { mountPath: MOUNT })).callback()));
