import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { hypervisorsPlugin } from '../src/index.js';
import type { Handler } from '@os-hypervisors/core';

/** A core handler stand-in that echoes what the plugin handed it: the plugin's own contract, not the API's. */
const echo: Handler = async (request) => ({ status: 200, headers: [['Content-Type', 'application/json']], body: JSON.stringify({ path: request.path, scriptName: request.scriptName ?? null }) });

describe('Fastify plugin conventions', () => {
  it('is named for fastify-plugin and encapsulated: the app\'s own body parsing and routes are untouched', async () => {
    const app = Fastify();
    await app.register(hypervisorsPlugin, { handler: echo, prefix: '/compute' });
    app.post('/echo', async (request) => ({ got: request.body }));
    await app.ready();
    expect(app.hasPlugin('@os-hypervisors/fastify')).toBe(true);
    const parsed = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    expect(parsed.json()).toEqual({ got: { a: 1 } });
    // Inside the plugin a body of any type is neither parsed nor refused: the core decides (Nova's 415).
    const odd = await app.inject({ method: 'POST', url: '/compute/v2.1/x', headers: { 'content-type': 'application/xml' }, payload: '<not json' });
    expect(odd.statusCode).toBe(200);
    expect(odd.json()).toEqual({ path: '/v2.1/x', scriptName: '/compute' });
    const badJson = await app.inject({ method: 'POST', url: '/compute/v2.1/x', headers: { 'content-type': 'application/json' }, payload: '{' });
    expect(badJson.statusCode).toBe(200);
    await app.close();
  });
});
