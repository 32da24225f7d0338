import express from 'express';
import { hypervisorsMiddleware } from '@os-hypervisors/express';
import { describeHttpBehaviour, listenOn, startWith } from '../../server/test/http-suite/index.js';
import { describeOnServer, sqlStorageFactory } from './support/test-servers.js';

// The shared HTTP behaviour suite, served from sqlite.
await describeOnServer('sqlite', (server) =>
  describeHttpBehaviour('express on sqlite', startWith((handler) => listenOn(express().disable('x-powered-by').use(hypervisorsMiddleware(handler))), sqlStorageFactory(server))));
