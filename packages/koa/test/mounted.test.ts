import Koa from 'koa';
import mount from 'koa-mount';
import { hypervisorsMiddleware } from '../src/index.js';
import { listenOn } from '../../server/test/http-suite/index.js';
import { describeMountedUnderCompute, MOUNT } from '../../server/test/http-suite/mounted.js';

// The prefix koa-mount strips, then the explicit option at the root.
describeMountedUnderCompute('koa-mount /compute', (handler) => listenOn(new Koa().use(mount(MOUNT, hypervisorsMiddleware(handler))).callback()));
describeMountedUnderCompute('koa mountPath option', (handler) => listenOn(new Koa().use(hypervisorsMiddleware(handler, { mountPath: MOUNT })).callback()));
