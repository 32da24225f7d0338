import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRight } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandler, createPolicy, noauth2Resolver } from '@os-hypervisors/core';
import { MemoryStorage } from '@os-hypervisors/storage-memory';
import { annotateActiveSpan, createRequestObserver, tracedHandler, tracingRequested } from '../src/index.js';
import { startTracing } from '../src/tracing-sdk.js';
import { FIXTURE, NOW } from '../../server/test/http-suite/fixture.js';

describe('tracingRequested: only the standard variables switch traces on', () => {
  it.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_TRACES_EXPORTER: 'console' }, true],
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, false],
    [{ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, false],
    [{ OTEL_SERVICE_NAME: 'x' }, false],
  ])('%j -> %s', (env, expected) => {
    expect(tracingRequested(env)).toBe(expected);
  });
});

/**
 * An OTLP/HTTP receiver on a free port, standing in for an OpenTelemetry Collector (none is packaged for
 * this machine): it keeps each request's path, content type and body, and answers 200 as a collector does.
 */
const receiver = async () => {
  const received: Array<{ path: string; headers: IncomingHttpHeaders; body: Buffer }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' }).end(req.headers['content-type']?.includes('json') ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
};

const OTEL_VARS = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_SERVICE_NAME', 'OTEL_TRACES_EXPORTER'] as const;
const saved = Object.fromEntries(OTEL_VARS.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const k of OTEL_VARS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const policy = createPolicy({ profile: 'spec' });
if (!isRight(policy)) throw new Error('policy');

describe('startTracing from OTEL_* variables', () => {
  it.each([
    ['http/protobuf', 'application/x-protobuf'],
    ['http/json', 'application/json'],
  ])('exports request spans over OTLP %s to OTEL_EXPORTER_OTLP_ENDPOINT', async (protocol, contentType) => {
    const collector = await receiver();
    try {
      process.env.OTEL_EXPORTER_OTLP_ENDPOINT = collector.url;
      process.env.OTEL_EXPORTER_OTLP_PROTOCOL = protocol;
      process.env.OTEL_SERVICE_NAME = 'osh-otlp-test';
      const tracing = await startTracing();
      expect(tracing.exporters).toEqual([`otlp (${protocol})`]);
      expect(tracing.warnings).toEqual([]);
      const handler = tracedHandler(createHandler({
        storage: new MemoryStorage(FIXTURE), authorizer: policy.right, clock: () => NOW, credentialResolvers: [noauth2Resolver],
        observer: createRequestObserver({ annotate: annotateActiveSpan }),
      }));
      const res = await handler({ method: 'GET', path: '/v2.1/os-hypervisors/detail', query: '', headers: { 'x-auth-token': 'admin:admin' } });
      expect(res.status).toBe(200);
      expect(collector.received).toHaveLength(0); // batched: sent on flush, not per request
      await tracing.shutdown();
      expect(collector.received.map((r) => r.path)).toEqual(['/v1/traces']);
      const [sent] = collector.received;
      expect(sent!.headers['content-type']).toContain(contentType);
      const text = sent!.body.toString('utf8');
      expect(text).toContain('GET /os-hypervisors/detail');
      expect(text).toContain('osh-otlp-test');
      expect(text).not.toContain('admin:admin');
    } finally {
      await collector.close();
    }
  });

  it('names what it cannot do as configuration warnings, and sends nothing for it', async () => {
    process.env.OTEL_TRACES_EXPORTER = 'zipkin,otlp';
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'grpc';
    const tracing = await startTracing();
    try {
      expect(tracing.exporters).toEqual([]);
      expect(tracing.warnings).toEqual([
        'OTEL_TRACES_EXPORTER "zipkin" is not supported here (use otlp, console or none)',
        'OTLP protocol "grpc" is not supported here (use http/protobuf or http/json): no traces are exported over OTLP',
      ]);
    } finally {
      await tracing.shutdown();
    }
  });
});
