import { hypervisorsPlugin } from '../src/index.js';
import { describeHttpBehaviour, startWith } from '../../server/test/http-suite/index.js';
import { serveFastify } from './serve-fastify.js';

describeHttpBehaviour('fastify', startWith((handler) => serveFastify((app) => app.register(hypervisorsPlugin, { handler }))));
