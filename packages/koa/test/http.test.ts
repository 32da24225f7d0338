import Koa from 'koa';
import { hypervisorsMiddleware } from '../src/index.js';
import { describeHttpBehaviour, listenOn, startWith } from '../../server/test/http-suite/index.js';

describeHttpBehaviour('koa', startWith((handler) => listenOn(new Koa().use(hypervisorsMiddleware(handler)).callback())));
