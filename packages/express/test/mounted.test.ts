import express from 'express';
import { hypervisorsMiddleware } from '../src/index.js';
import { listenOn } from '../../server/test/http-suite/index.js';
import { describeMountedUnderCompute, MOUNT } from '../../server/test/http-suite/mounted.js';

const app = () => express().disable('x-powered-by');

// The mount path Express reports (req.baseUrl), directly and through a nested router.
describeMountedUnderCompute('express app.use(/compute)', (handler) => listenOn(app().use(MOUNT, hypervisorsMiddleware(handler))));
describeMountedUnderCompute('express router under /compute', (handler) => listenOn(app().use(MOUNT, express.Router().use(hypervisorsMiddleware(handler)))));
// The explicit option, with the middleware at the root.
describeMountedUnderCompute('express mountPath option', (handler) => listenOn(app().use(hypervisorsMiddleware(handler, { mountPath: MOUNT }))));
