import fc from 'fast-check';

/**
 * A grammar of requests to the os-hypervisors API, valid and invalid: every route, id, query, header,
 * method, media type and body a client (or an attacker) might send, weighted towards the ones that
 * reach deep into the API. The generated differential test sends each to our handler and to Nova Zed;
 * the soak run (bench/soak.mjs) sends them to a running server. fast-check shrinks a failing request to
 * a minimal one: each choice below shrinks towards its first (plainest) alternative.
 */
export interface GeneratedRequest {
  readonly method: string;
  /** Raw path, percent-encoded as on the wire, no query. */
  readonly path: string;
  /** Raw query without `?`, possibly empty. */
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Request body text (its Content-Length is in `headers` unless the request declares another). */
  readonly body?: string;
}

/** The names a dataset gives the grammar: ids and patterns that exist, and some that do not. */
export interface GrammarVocabulary {
  /** The caller's project (hex, so project-prefixed routes match). */
  readonly project: string;
  readonly otherProject: string;
  /** Hypervisor ids and uuids, existing and not. */
  readonly nodeIds: ReadonlyArray<string>;
  readonly aggregateIds: ReadonlyArray<string>;
  /** Hostname fragments, matching and not (raw, percent-encoded where needed). */
  readonly patterns: ReadonlyArray<string>;
  readonly host?: string;
}

const VERSIONS = ['2.53', '2.88', '2.1', '2.33', '2.52', '2.75', '2.87', '2.93', '2.28', '2.27', 'latest', '2.94', '2.0', '3.0', 'abc', '2.053', '1.1'];

/** One `(weight, arbitrary)` list per choice, first the plainest, so shrinking heads there. */
const weighted = <T>(...alternatives: Array<[number, fc.Arbitrary<T>]>): fc.Arbitrary<T> =>
  fc.oneof(...alternatives.map(([weight, arbitrary]) => ({ weight, arbitrary })));

const pick = <T>(values: ReadonlyArray<T>): fc.Arbitrary<T> => fc.constantFrom(...values);

export const requestArbitrary = (vocabulary: GrammarVocabulary): fc.Arbitrary<GeneratedRequest> => {
  const id = weighted<string>(
    [8, pick(vocabulary.nodeIds)],
    [2, pick(['abc', '-1', '1.0', '0', '%201', '0_1', '99999999999999999999999', '1%0A', '%2e', 'detail', 'statistics', ' 1'])],
    [1, fc.uuid().map((u) => u.toUpperCase())],
    [1, fc.stringMatching(/^[a-zA-Z0-9._~-]{1,12}$/)],
  );
  const pattern = weighted<string>([6, pick(vocabulary.patterns)], [1, fc.stringMatching(/^[a-zA-Z0-9._~-]{1,10}$/)]);

  const apiTail = weighted<string>(
    [6, fc.constant('/os-hypervisors')],
    [6, fc.constant('/os-hypervisors/detail')],
    [2, fc.constant('/os-hypervisors/statistics')],
    [6, id.map((i) => `/os-hypervisors/${i}`)],
    [3, id.map((i) => `/os-hypervisors/${i}/uptime`)],
    [3, pattern.map((p) => `/os-hypervisors/${p}/search`)],
    [3, pattern.map((p) => `/os-hypervisors/${p}/servers`)],
    [2, fc.constant('/os-aggregates')],
    [2, pick(vocabulary.aggregateIds).map((a) => `/os-aggregates/${a}`)],
    [1, pick(['/', '', '/os-hypervisors/', '/os-hypervisors/1/foo', '/os-hypervisors/detail/1', '/os-hypervisorsX', '/servers', '/os-hypervisors/statistics/uptime'])],
  );
  const prefix = weighted<string>(
    [12, fc.constant('/v2.1')],
    [2, fc.constant('/v2')],
    [2, fc.constant(`/v2.1/${vocabulary.project}`)],
    [1, pick([`/v2.1/${vocabulary.otherProject}`, '/v2.1/proj', '', '/v3', '/v1.1', '/compute/v2.1'])],
  );
  /** Rare changes to the path a client or a proxy might make. */
  const mutation = weighted<(p: string) => string>(
    [30, fc.constant((p: string) => p)],
    [1, fc.constant((p: string) => `${p}/`)],
    [1, fc.constant((p: string) => `${p}%0A`)],
    [1, fc.constant((p: string) => `${p}.json`)],
    [1, fc.constant((p: string) => p.replace('/os-', '//os-'))],
    [1, fc.constant((p: string) => p.replace('/os-', '/./os-'))],
    [1, fc.constant((p: string) => `${p}/..`)],
    [1, fc.constant((p: string) => p.replace(/y/, '%79'))],
    [1, fc.constant((p: string) => p.toUpperCase())],
  );
  const path = weighted<string>(
    [20, fc.tuple(prefix, apiTail, mutation).map(([pre, tail, m]) => m(`${pre}${tail}`) || '/')],
    [2, pick(['/', '/v2.1', '/v2.1/', '/v2', '/v2/'])],
    [1, pick(['/foo', '/foo/', '/%00', '/os-hypervisors', '/a%2Fb/', '/a%20b/c/', '/~!$&\'()*+,;=:@', '/%C3%A9', '/v2.1%0A', '/%5B%5D'])],
  );

  const limit = pick(['1', '2', '0', '', '1000', '1001', '-1', 'abc', '%0A', '5%0A', '1.5', '01', '%2', '%201']);
  const marker = weighted<string>([4, pick(vocabulary.nodeIds)], [1, pick(['', 'abc', '999', '%0A'])]);
  const withServers = pick(['1', 'true', 'True', 'yes', 'false', '0', 'no', 'maybe', '', 'tRuE']);
  const param = weighted<string>(
    [4, limit.map((v) => `limit=${v}`)],
    [3, marker.map((v) => `marker=${v}`)],
    [3, withServers.map((v) => `with_servers=${v}`)],
    [3, pattern.map((v) => `hypervisor_hostname_pattern=${v}`)],
    [1, pick(['foo=bar', 'page_size=1', 'sort_key=id', 'limit', '=1', 'hypervisor_hostname_pattern=%2', 'hypervisor_hostname_pattern=% 1', 'limit=%zz', 'a%2', 'with_servers=%ff'])],
  );
  const query = weighted<string>(
    [3, fc.constant('')],
    [6, fc.tuple(fc.array(param, { minLength: 1, maxLength: 3 }), weighted<string>([8, fc.constant('&')], [1, fc.constant(';')])).map(([ps, sep]) => ps.join(sep))],
  );

  const token = weighted<string | undefined>(
    [12, fc.constant(`admin:${vocabulary.project}`)],
    [2, fc.constant(`demo:${vocabulary.project}`)],
    [1, pick([`admin:${vocabulary.otherProject}`, 'admin', 'admin:abcdef', `demo:${vocabulary.otherProject}`])],
    [1, fc.constant(undefined)],
  );
  const versionHeader = weighted<[string, string] | undefined>(
    [3, fc.constant(undefined)],
    [8, pick(VERSIONS).map((v): [string, string] => ['OpenStack-API-Version', `compute ${v}`])],
    [1, pick(VERSIONS).map((v): [string, string] => ['X-OpenStack-Nova-API-Version', v])],
    [1, pick(['volume 3.0', 'compute', 'COMPUTE 2.53', 'compute 2.53, volume 3.0']).map((v): [string, string] => ['OpenStack-API-Version', v])],
  );
  const accept = weighted<string | undefined>(
    [6, fc.constant(undefined)],
    [1, pick(['application/json', 'text/html', 'text/plain', '*/*', 'application/xml', 'application/vnd.openstack.compute+json', 'application/json;q=0.1, text/html',
      'application/json;version=2.1', 'application/atom+xml', 'image/png', '', 'application/json;version=2.1/x'])],
  );
  const contentType = weighted<string | undefined>(
    [8, fc.constant(undefined)],
    [1, pick(['application/json', 'application/xml', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=UTF-8', 'foo', 'application/json;version=2.1'])],
  );
  const method = weighted<string>([24, fc.constant('GET')], [1, pick(['HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])]);
  const body = weighted<string | undefined>(
    [10, fc.constant(undefined)],
    [2, pick(['{}', 'a=1&b=2', ' ', 'null', '[1]', '{"a":', 'NaN', '"x"', '{"a": 1}', 'x'])],
    // around oslo's size limit (114,688 bytes)
    [1, pick([114_689, 114_688, 150_000]).map((n) => `[${'1,'.repeat((n - 3) / 2)}1]`.padEnd(n, ' '))],
  );

  return fc.record({ method, path, query, token, versionHeader, accept, contentType, body }).map((r): GeneratedRequest => {
    const headers: Record<string, string> = { Host: vocabulary.host ?? 'openstack.example.com' };
    if (r.token !== undefined) headers['X-Auth-Token'] = r.token;
    if (r.versionHeader !== undefined) headers[r.versionHeader[0]] = r.versionHeader[1];
    if (r.accept !== undefined) headers.Accept = r.accept;
    if (r.contentType !== undefined) headers['Content-Type'] = r.contentType;
    if (r.body !== undefined) headers['Content-Length'] = String(new TextEncoder().encode(r.body).length);
    return { method: r.method, path: r.path, query: r.query, headers, ...(r.body === undefined ? {} : { body: r.body }) };
  });
};

/** The request line's target of a generated request. */
export const requestTarget = (r: Pick<GeneratedRequest, 'path' | 'query'>): string => (r.query === '' ? r.path : `${r.path}?${r.query}`);

/** A one-line description, for failure reports and logs. */
export const describeRequest = (r: GeneratedRequest): string =>
  `${r.method} ${requestTarget(r)} ${JSON.stringify(r.headers)}${r.body === undefined ? '' : ` body=${r.body.length > 40 ? `<${r.body.length} bytes>` : JSON.stringify(r.body)}`}`;
