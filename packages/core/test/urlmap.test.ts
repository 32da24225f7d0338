import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptableOffers } from '../src/http-accept.js';
import { parsePyFloat } from '../src/json/py-float-parse.js';
import { dispatch } from '../src/routes/urlmap.js';
import { bestMatch, parseAccept, parseOptionsHeader } from '../src/routes/urlmap-headers.js';

// Expected values below were read off Nova Zed (python3-nova 26.2.2) and webob 1.8 on Debian 12;
// packages/server/test/differential compares the whole handler with Nova over these and generated headers.

const SUPPORTED = ['application/json', 'application/vnd.openstack.compute+json'];
const best = (accept: string, supported = SUPPORTED) => {
  const m = bestMatch(parseAccept(accept), supported);
  return { type: m.type, version: m.params.get('version') };
};

describe('parsePyFloat (Python float(str))', () => {
  it.each([
    ['1', 1], [' 0.5 ', 0.5], ['1_0', 10], ['1e-1', 0.1], ['.5', 0.5], ['5.', 5], ['-inf', -Infinity], ['INFINITY', Infinity], ['+1.5E+2', 150],
  ] as const)('%j reads as %d', (text, value) => expect(parsePyFloat(text)).toBe(value));
  it('reads nan', () => expect(parsePyFloat('NaN')).toBeNaN());
  it.each(['', 'abc', '1__0', '_1', '1_', '0x10', '1.5.2', 'in f', '1e'])('%j is a ValueError', (text) => expect(parsePyFloat(text)).toBeNull());
  it('agrees with Number on plain decimal literals', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
      expect(parsePyFloat(String(d))).toBe(Number(String(d)));
    }));
  });
});

describe("Nova's URL-map header parsing", () => {
  it('reads type and parameters, unquoting values and keeping the last of a repeated name', () => {
    const r = parseOptionsHeader('application/json; version="2.1" ;q=0.5;version=2');
    expect(r.type).toBe('application/json');
    expect([...r.params]).toEqual([['version', '2'], ['q', '0.5']]);
  });
  it('keeps trailing spaces of a value (so `version = 2.1 ;` names no API)', () => {
    expect(parseOptionsHeader('text/plain; version = 2.1 ;').params.get('version')).toBe('2.1 ');
  });
  it('reads a value it cannot parse as no type, never an error', () => {
    expect(parseOptionsHeader('=')).toEqual({ type: '', params: new Map() });
  });
  it('splits Accept at commas outside quotes', () => {
    expect(parseAccept('a/b;x="1,2", c/d').map((r) => r.type)).toEqual(['a/b', 'c/d']);
  });
  it.each([
    ['', null],
    ['application/json', 'application/json'],
    ['application/vnd.openstack.compute+json', 'application/vnd.openstack.compute+json'],
    ['application/vnd.openstack.compute+json, application/json', 'application/json'],
    ['application/json;q=0, */*', 'application/json'],
    ['application/*;q=0.5, application/vnd.openstack.compute+json;q=0.4', 'application/json'],
    ['application/json;q=abc, application/vnd.openstack.compute+json;q=0.1', 'application/vnd.openstack.compute+json'],
    ['application/json;q=nan, application/vnd.openstack.compute+json', 'application/vnd.openstack.compute+json'],
    ['application/json;q=inf, application/vnd.openstack.compute+json;q=1_0', 'application/json'],
    ['Application/VND.openstack.compute+json', null],
    ['application/json;q', null],
  ] as const)('Accept %j picks %j', (accept, type) => expect(best(accept).type).toBe(type));
  it('carries the winning range’s version parameter', () => {
    expect(best('application/json;version=2.1;q=0.5, application/vnd.openstack.compute+json;version=2')).toEqual({ type: 'application/vnd.openstack.compute+json', version: '2' });
    expect(best('text/html;version=2.1, application/json')).toEqual({ type: 'application/json', version: undefined });
  });
});

describe('dispatch (nova/api/openstack/urlmap.py over the osapi_compute composite)', () => {
  const land = (path: string, headers: Record<string, string> = {}) => {
    const d = dispatch(path, headers);
    return { ...d.landing, mediaType: d.mediaType };
  };

  it('mounts by path prefix first', () => {
    expect(land('/')).toEqual({ kind: 'versions', mediaType: 'application/json' });
    expect(land('/v2.1')).toMatchObject({ kind: 'version-doc', api: 'v2.1', authenticated: false });
    expect(land('/v2.1/')).toMatchObject({ kind: 'version-doc', api: 'v2.1', authenticated: false });
    expect(land('/v2/')).toMatchObject({ kind: 'version-doc', api: 'v2', authenticated: false });
    expect(land('/v2.1/0a1b/')).toMatchObject({ kind: 'version-doc', api: 'v2.1', authenticated: true });
    expect(land('/v2.1/os-hypervisors/detail')).toMatchObject({ kind: 'api', api: 'v2.1', projectId: null, segments: ['os-hypervisors', 'detail'] });
    expect(land('/v2/0a1b/os-hypervisors')).toMatchObject({ kind: 'api', api: 'v2', projectId: '0a1b', segments: ['os-hypervisors'] });
    expect(land('/v2.1x')).toMatchObject({ kind: 'choices', rest: '/v2.1x' });
    expect(land('/v2.1//os-hypervisors')).toMatchObject({ kind: 'api', segments: ['os-hypervisors'] });
  });

  it('sends an unprefixed path by a version parameter: Content-Type first, then the best Accept range', () => {
    expect(land('/os-hypervisors', { Accept: 'application/json;version=2.1' })).toMatchObject({ kind: 'version-doc', api: 'v2.1', authenticated: false });
    expect(land('/foo', { 'Content-Type': 'application/json;version=2' })).toMatchObject({ kind: 'version-doc', api: 'v2' });
    expect(land('/foo', { 'Content-Type': 'application/json;version=2', Accept: 'application/json;version=2.1' })).toMatchObject({ api: 'v2' });
    // `2.1/x` reaches the API itself, the path unchanged below /v2.1.
    expect(land('/os-hypervisors', { 'Content-Type': 'application/json;version=2.1/x' })).toMatchObject({ kind: 'api', api: 'v2.1', segments: ['os-hypervisors'] });
    expect(land('/', { Accept: 'application/json;version=2.1/x' })).toMatchObject({ kind: 'version-doc', api: 'v2.1', authenticated: true });
    // No such API: the root application, as without the parameter.
    expect(land('/foo', { Accept: 'application/json;version=3' })).toMatchObject({ kind: 'choices', rest: '/foo' });
    expect(land('/os-hypervisors', { 'Content-Type': 'text/plain; version = 2.1 ;' })).toMatchObject({ kind: 'choices' });
  });

  it('a request target that is not a path (`*`, `foo`) lands in the root application, never an error', () => {
    expect(land('*')).toMatchObject({ kind: 'choices', rest: '*' });
    expect(land('foo', { Accept: 'application/json;version=2.1' })).toMatchObject({ kind: 'version-doc', api: 'v2.1' });
  });

  it('ignores version parameters on prefixed paths', () => {
    expect(land('/v2.1/os-hypervisors', { Accept: 'application/json;version=2', 'Content-Type': 'application/json;version=2' })).toMatchObject({ kind: 'api', api: 'v2.1' });
  });

  it('takes the media type from a .json suffix before Accept, and offers Atom only at index paths', () => {
    expect(land('/foo.json', { Accept: 'application/vnd.openstack.compute+json' }).mediaType).toBe('application/json');
    expect(land('/', { Accept: 'application/atom+xml' }).mediaType).toBe('application/atom+xml');
    expect(land('/v2.1/', { Accept: 'application/atom+xml' }).mediaType).toBe('application/atom+xml');
    expect(land('/v2.1', { Accept: 'application/atom+xml' }).mediaType).toBe('application/json');
    expect(land('/v2.1/os-hypervisors', { Accept: 'application/atom+xml' }).mediaType).toBe('application/json');
  });
});

describe("webob's acceptable_offers (error pages)", () => {
  const OFFERS = ['text/html', 'application/json'];
  it.each([
    ['application/json;version=3', []],
    ['application/json;version=2/x', ['text/html', 'application/json']],
    ['text/html;version=2.1, application/json', ['application/json']],
    ['application/json;q=0.5;version=2', ['application/json']],
    ['application/json;version=2;q=0.5', []],
    ['application/json;Q=0.5', ['application/json']],
    ['application/json;q=1;version=2, text/html;q=0.9', ['application/json', 'text/html']],
    ['', []],
    ['text/*;q=0.5, */*;q=0.9', ['application/json', 'text/html']],
    ['text/html;q=0, */*', ['application/json']],
  ] as const)('%j accepts %j', (accept, offers) => expect(acceptableOffers(accept, OFFERS)).toEqual(offers));
  it('accepts nothing without a header', () => expect(acceptableOffers(undefined, OFFERS)).toEqual([]));
});
