import express from 'express';
import { hypervisorsMiddleware } from '../src/index.js';
import { describeHttpBehaviour, listenOn, startWith } from '../../server/test/http-suite/index.js';

describeHttpBehaviour('express', startWith((handler) => listenOn(express().disable('x-powered-by').use(hypervisorsMiddleware(handler)))));
