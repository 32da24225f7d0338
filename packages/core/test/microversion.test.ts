import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { faultBody, negotiateMicroversion } from '../src/index.js';

const max = { major: 2, minor: 93 };
const negotiate = (headers: Record<string, string>) => negotiateMicroversion(headers, max);
const version = (headers: Record<string, string>) => {
  const r = negotiate(headers);
  return isRight(r) ? `${r.right.major}.${r.right.minor}` : null;
};

describe('microversion negotiation (microversions.md §2)', () => {
  it('defaults to 2.1 and resolves latest', () => {
    expect(version({})).toBe('2.1');
    expect(version({ 'OpenStack-API-Version': 'compute latest' })).toBe('2.93');
    expect(version({ 'X-OpenStack-Nova-API-Version': 'latest' })).toBe('2.93');
  });

  it('reads the standard header right to left, case-insensitively, and prefers it to the legacy one', () => {
    expect(version({ 'openstack-api-version': 'compute 2.10, volume 3.0, compute 2.33' })).toBe('2.33');
    expect(version({ 'OpenStack-API-Version': 'COMPUTE 2.53' })).toBe('2.53');
    expect(version({ 'OpenStack-API-Version': '  compute   2.53  ' })).toBe('2.53');
    expect(version({ 'OpenStack-API-Version': 'compute 2.33', 'X-OpenStack-Nova-API-Version': '2.53' })).toBe('2.33');
    expect(version({ 'OpenStack-API-Version': 'volume 3.0', 'X-OpenStack-Nova-API-Version': '2.53' })).toBe('2.53');
    expect(version({ 'X-OpenStack-Nova-API-Version': '2.10, 2.53' })).toBe('2.53');
    expect(version({ 'OpenStack-API-Version': 'compute' })).toBe('2.1');
  });

  it.each(['LATEST', '2.x', '2.01', '2.5 extra', 'abc', '02.1', ''])('400 for malformed %j', (v) => {
    const r = negotiate({ 'X-OpenStack-Nova-API-Version': v });
    if (v === '') {
      // An empty legacy value is still a malformed version string.
      expect(isLeft(r)).toBe(true);
      return;
    }
    expect(isLeft(r) && r.left.fault.status).toBe(400);
    if (isLeft(r)) {
      expect(faultBody(r.left.fault)).toEqual({ badRequest: { code: 400, message: `API Version String ${v} is of invalid format. Must be of format MajorNum.MinorNum.` } });
      expect(r.left.echo).toBeNull();
    }
  });

  it.each(['2.0', '1.1', '2.94', '2.200', '3.0'])('406 computeFault for out-of-range %s, echoing it', (v) => {
    const r = negotiate({ 'OpenStack-API-Version': `compute ${v}` });
    expect(isLeft(r)).toBe(true);
    if (isLeft(r)) {
      expect(faultBody(r.left.fault)).toEqual({ computeFault: { code: 406, message: `Version ${v} is not supported by the API. Minimum is 2.1 and maximum is 2.93.` } });
      expect(r.left.echo).toBe(v);
    }
  });

  it('compares versions as integer pairs', () => {
    expect(version({ 'OpenStack-API-Version': 'compute 2.9' })).toBe('2.9');
    expect(version({ 'OpenStack-API-Version': 'compute 2.10' })).toBe('2.10');
  });
});
