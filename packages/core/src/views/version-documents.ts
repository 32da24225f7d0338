import type { PyJson } from '../json/py-json.js';
import { type ApiVersion, formatVersion, MIN_VERSION } from '../microversion/version.js';

// nova/api/openstack/compute/versions.py (Zed): the documents clients discover the API with.
const V20 = { id: 'v2.0', status: 'SUPPORTED', updated: '2011-01-21T11:33:21Z' };
const V21 = { id: 'v2.1', status: 'CURRENT', updated: '2013-07-23T11:33:21Z' };

/** Keys in Nova's wire order: id, status, version, min_version, updated. */
const entry = (api: 'v2.1' | 'v2', max: ApiVersion) => {
  const base = api === 'v2.1' ? V21 : V20;
  return {
    id: base.id,
    status: base.status,
    version: api === 'v2.1' ? formatVersion(max) : '',
    min_version: api === 'v2.1' ? formatVersion(MIN_VERSION) : '',
    updated: base.updated,
  };
};

/** `GET /`: `{"versions": [...]}`, entries sorted by id. */
export const buildVersionList = (hostUrl: string, max: ApiVersion): PyJson => ({
  versions: (['v2', 'v2.1'] as const).map((api) => ({ ...entry(api, max), links: [{ rel: 'self', href: `${hostUrl}/${api}/` }] })),
});

/** `GET /v2.1` and `/v2.1/` (or `/v2`): `{"version": {...}}` with the describedby link and media types. */
export const buildVersionDocument = (hostUrl: string, api: 'v2.1' | 'v2', max: ApiVersion): PyJson => ({
  version: {
    ...entry(api, max),
    links: [
      { rel: 'self', href: `${hostUrl}/${api}/` },
      { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
    ],
    'media-types': [{ base: 'application/json', type: `application/vnd.openstack.compute+json;version=${api === 'v2.1' ? '2.1' : '2'}` }],
  },
});

/** Python's `quote(bytes, safe)` as webob's `Request.path` applies it (`PATH_SAFE`), over a WSGI path whose characters are bytes. */
const PATH_SAFE = /[A-Za-z0-9_.\-~/!$&'()*+,;=:@]/;
const pctByte = (b: number): string => `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
const quotePathBytes = (latin1: string): string =>
  [...latin1].map((c) => {
    if (PATH_SAFE.test(c)) return c;
    const code = c.codePointAt(0)!;
    // A raw character beyond latin-1 (no WSGI server hands one over) goes out as its UTF-8 bytes.
    return code <= 0xff ? pctByte(code) : [...new TextEncoder().encode(c)].map(pctByte).join('');
  }).join('');

/**
 * Any other root path: 300 `{"choices": [...]}` pointing at the same path under each API. Each link is
 * `common.url_join(prefix, version, req.path)` (versions.py `generate_href`): webob's `req.path`, the
 * mount path included (behind `/compute` Nova's links repeat it: `/compute/v2.1/compute/foo` for
 * `/compute/foo`), re-quoted, and `url_join` strips its leading and trailing `/`.
 */
export const buildChoices = (hostUrl: string, path: string): PyJson => ({
  choices: (['v2', 'v2.1'] as const).map((api) => ({
    id: api === 'v2' ? 'v2.0' : 'v2.1',
    status: api === 'v2' ? V20.status : V21.status,
    links: [{ rel: 'self', href: `${hostUrl}/${api}/${quotePathBytes(path).replace(/^\/+|\/+$/g, '')}` }],
    'media-types': [{ base: 'application/json', type: `application/vnd.openstack.compute+json;version=${api === 'v2.1' ? '2.1' : '2'}` }],
  })),
});
