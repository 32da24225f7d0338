import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { buildOpenApiDocument, microversionChanges, renderApiReference, type JsonSchema } from '@os-hypervisors/core';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli-args.js';
import { OpenApiAnswers } from './validate.js';

const mv = (text: string) => ({ major: 2, minor: Number(text.split('.')[1]) });
const ALL = Array.from({ length: 93 }, (_, i) => `2.${i + 1}`);
type Doc = { paths: Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> } }> };
const body200 = (doc: Doc, path: string): JsonSchema => doc.paths[path]!.get.responses['200']!.content!['application/json']!.schema;
const propsOf = (s: JsonSchema): Record<string, JsonSchema> => s.properties as Record<string, JsonSchema>;
const itemOf = (s: JsonSchema, key: string): JsonSchema => propsOf(s)[key]!.items as JsonSchema;

describe('OpenAPI 3.1 per microversion', () => {
  it('every document from 2.1 to 2.93 is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator)', async () => {
    const validator = new Validator();
    for (const v of ALL) {
      const result = await validator.validate(buildOpenApiDocument(mv(v)) as Parameters<Validator["validate"]>[0]);
      expect(result, `document ${v}: ${JSON.stringify(result.errors)}`).toMatchObject({ valid: true });
      expect(validator.version).toBe('3.1');
    }
  });

  it('lists only the routes that exist at the microversion', () => {
    const routes = (v: string) => Object.keys((buildOpenApiDocument(mv(v)) as Doc).paths).sort();
    const legacy = ['/os-hypervisors/{hypervisor_hostname_pattern}/search', '/os-hypervisors/{hypervisor_hostname_pattern}/servers'];
    const removedAt288 = ['/os-hypervisors/statistics', '/os-hypervisors/{hypervisor_id}/uptime'];
    const always = ['/os-aggregates', '/os-aggregates/{aggregate_id}', '/os-hypervisors', '/os-hypervisors/detail', '/os-hypervisors/{hypervisor_id}'];
    expect(routes('2.1')).toEqual([...always, ...legacy, ...removedAt288].sort());
    expect(routes('2.52')).toEqual(routes('2.1'));
    expect(routes('2.53')).toEqual([...always, ...removedAt288].sort());
    expect(routes('2.87')).toEqual(routes('2.53'));
    expect(routes('2.88')).toEqual([...always].sort());
    expect(routes('2.93')).toEqual(routes('2.88'));
  });

  it('has only the fields and query parameters of the microversion', () => {
    const doc = (v: string) => buildOpenApiDocument(mv(v)) as Doc;
    const detail = (v: string) => itemOf(body200(doc(v), '/os-hypervisors/detail'), 'hypervisors');
    expect(propsOf(detail('2.27')).cpu_info).toEqual({ type: ['string', 'null'] });
    expect(propsOf(detail('2.28')).cpu_info).toEqual({ type: 'object' });
    expect(propsOf(detail('2.52')).id).toEqual({ type: 'integer' });
    expect(propsOf(detail('2.53')).id).toEqual({ type: 'string', format: 'uuid' });
    expect(Object.keys(propsOf(detail('2.88')))).toEqual(['id', 'hypervisor_hostname', 'state', 'status', 'servers', 'hypervisor_type', 'hypervisor_version', 'host_ip', 'service', 'uptime']);
    expect(Object.keys(propsOf(detail('2.87')))).toContain('vcpus');
    expect(Object.keys(propsOf(body200(doc('2.32'), '/os-hypervisors')))).toEqual(['hypervisors']);
    expect(Object.keys(propsOf(body200(doc('2.33'), '/os-hypervisors')))).toEqual(['hypervisors', 'hypervisors_links']);
    const queryNames = (v: string, path: string) => (doc(v).paths[path]!.get as unknown as { parameters: Array<{ name: string; in: string }> }).parameters.filter((p) => p.in === 'query').map((p) => p.name);
    expect(queryNames('2.32', '/os-hypervisors')).toEqual([]);
    expect(queryNames('2.33', '/os-hypervisors')).toEqual(['limit', 'marker']);
    expect(queryNames('2.53', '/os-hypervisors')).toEqual(['limit', 'marker', 'hypervisor_hostname_pattern', 'with_servers']);
    expect(queryNames('2.53', '/os-hypervisors/{hypervisor_id}')).toEqual(['with_servers']);
    const aggregate = (v: string) => Object.keys(itemOf(body200(doc(v), '/os-aggregates'), 'aggregates').properties as object);
    expect(aggregate('2.40')).not.toContain('uuid');
    expect(aggregate('2.41')).toContain('uuid');
    expect(microversionChanges().map((v) => `${v.major}.${v.minor}`)).toEqual(['2.1', '2.28', '2.33', '2.41', '2.53', '2.88']);
  });

  it('declares Nova fault bodies for the error statuses, 501 only on uptime', () => {
    const doc = buildOpenApiDocument(mv('2.1')) as Doc & { components: { schemas: Record<string, JsonSchema> } };
    expect(Object.keys(doc.paths['/os-hypervisors']!.get.responses)).toEqual(['200', '400', '401', '403', '404', '406', '415', '500', '503']);
    expect(Object.keys(doc.paths['/os-hypervisors/{hypervisor_id}/uptime']!.get.responses)).toContain('501');
    expect(doc.components.schemas.fault404).toMatchObject({ required: ['itemNotFound'] });
    expect(doc.components.schemas.fault406).toMatchObject({ required: ['computeFault'] });
  });

  it('the validator used on recorded answers can fail: a missing field, an extra one, a wrong type, an undeclared status', () => {
    const answers = new OpenApiAnswers();
    const headers = [['OpenStack-API-Version', 'compute 2.53']] as const;
    const ok = '{"hypervisors": [{"id": "c302cfd7-1ce3-4ede-bd97-000000000001", "hypervisor_hostname": "h", "state": "up", "status": "enabled"}]}';
    expect(answers.check({ method: 'GET', path: '/v2.1/os-hypervisors', status: 200, headers, body: ok }).errors).toEqual([]);
    for (const bad of [ok.replace('"state": "up", ', ''), ok.replace('"status"', '"extra": 1, "status"'), ok.replace('"c302cfd7-1ce3-4ede-bd97-000000000001"', '1')]) {
      expect(answers.check({ method: 'GET', path: '/v2.1/os-hypervisors', status: 200, headers, body: bad }).errors).not.toEqual([]);
    }
    expect(answers.check({ method: 'GET', path: '/v2.1/os-hypervisors', status: 501, headers, body: '{}' }).errors).not.toEqual([]);
    expect(answers.check({ method: 'GET', path: '/v2.1/os-hypervisors/1/uptime', status: 200, headers: [['OpenStack-API-Version', 'compute 2.88']], body: '{}' }).errors).not.toEqual([]);
    expect(answers.check({ method: 'GET', path: '/v2.1/nothing', status: 404, headers, body: 'x' }).route).toBeNull();
  });

  it('the command line: openapi --microversion X.Y, or --reference', () => {
    const parsed = parseCommandLine(['openapi', '--microversion', '2.53']);
    expect(isRight(parsed) && parsed.right).toEqual({ kind: 'openapi', microversion: { major: 2, minor: 53 } });
    const reference = parseCommandLine(['openapi', '--reference']);
    expect(isRight(reference) && reference.right).toEqual({ kind: 'reference' });
    for (const [argv, message] of [
      [['openapi'], 'openapi needs --microversion X.Y (or --reference)'],
      [['openapi', '--microversion', '2.94'], '--microversion must be at most 2.93 (got "2.94")'],
      [['openapi', '--microversion', '2.x'], '--microversion must look like 2.93 (got "2.x")'],
      [['openapi', '--microversion', '2.5', '--reference'], 'openapi takes --microversion X.Y or --reference, not both'],
    ] as const) {
      const result = parseCommandLine([...argv]);
      expect(isLeft(result) && result.left).toBe(message);
    }
  });

  it('docs/api.md is the generated reference (regenerate: node packages/server/dist/cli.js openapi --reference > docs/api.md)', () => {
    const committed = readFileSync(new URL('../../../../docs/api.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderApiReference());
  });
});
