import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySpanExporter, startTracing, type ReadableSpan, type TracingSetup } from '@os-hypervisors/observability/tracing-sdk';
import { startServer, type RunningServer } from '../../src/index.js';
import { rawRequest } from '../http-suite/raw-request.js';

const NOW = new Date('2026-03-04T05:06:07Z');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('traces of a request', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: TracingSetup;
  let server: RunningServer;
  beforeAll(async () => {
    tracing = await startTracing({ exporter });
    server = await startServer({ port: 0, clock: () => new Date(NOW), tracing: true });
  });
  afterAll(async () => {
    await server.close();
    await tracing.shutdown();
  });

  const spansOf = (traceId: string): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

  it('a detail request: one server span under the caller\'s traceparent, with policy, storage and uptime as its children', async () => {
    const res = await rawRequest(server.url, '/v2.1/os-hypervisors/detail', {
      headers: { 'X-Auth-Token': 'admin:admin', 'OpenStack-API-Version': 'compute 2.88', traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` },
    });
    expect(res.status).toBe(200);
    // Nova asks only hosts whose service is up for their uptime.
    const up = (JSON.parse(res.body) as { hypervisors: Array<{ state: string }> }).hypervisors.filter((h) => h.state === 'up').length;
    expect(up).toBeGreaterThan(20);
    const requestId = res.headers.find(([n]) => n === 'x-openstack-request-id')![1];

    const spans = spansOf(TRACE_ID);
    const roots = spans.filter((s) => parentOf(s) === CALLER_SPAN);
    expect(roots).toHaveLength(1);
    const root = roots[0]!;
    expect(root.name).toBe('GET /os-hypervisors/detail');
    expect(root.kind).toBe(1); // SERVER
    expect(root.attributes).toMatchObject({
      'http.route': '/os-hypervisors/detail', 'http.response.status_code': 200, 'openstack.microversion': '2.88',
      'openstack.request_id': requestId, 'os_hypervisors.policy.grant': 'system',
    });

    const children = spans.filter((s) => parentOf(s) === root.spanContext().spanId);
    const names = children.map((s) => s.name);
    expect(names.filter((n) => n === 'policy authorize')).toHaveLength(1);
    expect(names.filter((n) => n === 'storage listNodes')).toHaveLength(1);
    expect(names.filter((n) => n === 'uptime uptime')).toHaveLength(up);
    expect(names.filter((n) => n.startsWith('credentials '))).not.toHaveLength(0);
    // Nothing else hangs deeper, and every child ended within its parent.
    expect(spans).toHaveLength(1 + children.length);
    const end = (s: ReadableSpan) => s.endTime[0] * 1e9 + s.endTime[1];
    for (const child of children) expect(end(child)).toBeLessThanOrEqual(end(root));
    expect(children.find((s) => s.name === 'policy authorize')!.attributes).toMatchObject({
      'os_hypervisors.policy.rule': 'os_compute_api:os-hypervisors:list-detail', 'os_hypervisors.policy.grant': 'system',
    });
    expect(children.find((s) => s.name === 'storage listNodes')!.attributes).toMatchObject({ 'os_hypervisors.outcome': 'ok' });
  });

  it('without a traceparent, a new trace; a failed request\'s span says so', async () => {
    exporter.reset();
    const res = await rawRequest(server.url, '/v2.1/os-hypervisors/detail', { headers: { 'OpenStack-API-Version': 'compute 2.88' } });
    expect(res.status).toBe(401);
    const root = exporter.getFinishedSpans().find((s) => s.kind === 1)!;
    expect(parentOf(root)).toBeUndefined();
    expect(root.attributes).toMatchObject({ 'http.response.status_code': 401, 'http.route': 'api' });
    expect(JSON.stringify(exporter.getFinishedSpans().map((s) => s.attributes))).not.toContain('admin:admin');
  });
});
