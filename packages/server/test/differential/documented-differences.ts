import type { GeneratedRequest } from '@os-hypervisors/testing';
import type { OracleResponse } from './nova-oracle.js';

/**
 * The documented differences a generated request may hit (docs/behaviour.md, "Deliberate differences"
 * and "Random requests"): each a predicate over the request and both answers, kept small and explicit.
 * A mismatch no predicate explains fails the generated differential test.
 */
export type NovaAnswer = OracleResponse | { readonly error: string };

export interface DocumentedDifference {
  /** The row's name in docs/behaviour.md. */
  readonly id: string;
  readonly applies: (request: GeneratedRequest, nova: NovaAnswer, ours: OracleResponse) => boolean;
}

const isError = (a: NovaAnswer): a is { error: string } => 'error' in a;
const status = (a: NovaAnswer): number => ('status' in a ? a.status : 0);
const body = (a: NovaAnswer): string => ('body' in a ? a.body : a.error);

/** WSGI's view of a path segment: percent-escapes decoded, strictly. */
const decoded = (raw: string): string => raw.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

/** Every hostname pattern the request carries: a legacy search/servers segment and the ≥ 2.53 query parameter. */
const patternsOf = (r: GeneratedRequest): string[] => {
  // Segments split before decoding (an encoded `/` stays in its segment), then each decoded.
  const segments = r.path.split('/');
  const at = segments.findIndex((s, i) => decoded(s) === 'os-hypervisors' && /^(search|servers)(%0A)?$/i.test(segments[i + 2] ?? ''));
  const fromPath = at < 0 ? undefined : segments[at + 1];
  const fromQuery = r.query.split(/[&;]/).filter((p) => p.startsWith('hypervisor_hostname_pattern=')).map((p) => p.slice('hypervisor_hostname_pattern='.length));
  return [...(fromPath === undefined ? [] : [fromPath]), ...fromQuery].map(decoded);
};

export const DOCUMENTED_DIFFERENCES: ReadonlyArray<DocumentedDifference> = [
  {
    // Nova's aggregate create/update/delete/actions are outside this project (a read-only API): unrouted, 404.
    id: 'aggregate write routes',
    applies: (r, _nova, ours) => r.method !== 'GET' && r.method !== 'HEAD' && /\/os-aggregates(\/[^/]*)?(\/action)?(\.json)?$/.test(r.path) && ours.status === 404,
  },
  {
    // The rest of Nova's compute API (servers, flavors, …) is not served here: unrouted, 404.
    id: 'other Nova APIs',
    applies: (r, _nova, ours) => ours.status === 404 && /^\/v2(\.1)?(\/[0-9a-f-]+)?\/(?!os-hypervisors|os-aggregates)[a-z][a-z-]*(\/|\.json|\n|$)/.test(decoded(r.path)),
  },
  {
    // Nova's noauth2 hands out a made-up token (204); we answer as keystonemiddleware (401).
    id: 'no token',
    // (An OPTIONS then gets the bare 200 oslo's CORS filter makes of any failed OPTIONS.)
    applies: (r, nova, ours) => r.headers['X-Auth-Token'] === undefined && status(nova) === 204 && (ours.status === 401 || (r.method === 'OPTIONS' && ours.status === 200)),
  },
  {
    // Nova: SQL LIKE '%p%' unescaped (`_`, and on the legacy routes `%`, are wildcards); we: a literal substring.
    id: 'hostname pattern matching (both profiles)',
    applies: (r) => patternsOf(r).some((p) => p.includes('_') || p.includes('%')),
  },
  {
    // A host-less node cannot be mapped to a cell: Nova's < 2.53 search/servers turn it into a 404.
    id: 'host cell mapping',
    applies: (_r, nova) => body(nova).includes('is not mapped to any cell'),
  },
  {
    // An exception escapes Nova's WSGI stack (a non-UTF-8 path read as text by webob, a media header its
    // URL map cannot parse): its WSGI server answers a bare 500. We answer as for any other bad input.
    id: 'Nova crashes outside its fault wrapper',
    applies: (_r, nova, ours) => isError(nova) && ours.status < 500,
  },
  {
    // SQLite (the oracle's database) cannot bind an integer id of 20 digits or more: OverflowError, 500.
    // PostgreSQL and MySQL, which deployments use, give "not found"; so do we.
    id: 'SQLite integer overflow',
    applies: (r, nova, ours) => /\d{19,}/.test(`${r.path}?${r.query}`) && status(nova) === 500 && ours.status !== 500,
  },
  {
    // A `%` not followed by two hex digits in the path: the WSGI server decodes paths (the oracle's
    // webob.Request.blank reads `%2` as byte 2, uwsgi turns `%/s` into NUL); we keep such a `%` as sent.
    id: 'malformed percent-escape in the path',
    applies: (r) => /%(?![0-9a-fA-F]{2})/.test(r.path),
  },
];

export const documentedDifference = (request: GeneratedRequest, nova: NovaAnswer, ours: OracleResponse): DocumentedDifference | undefined =>
  DOCUMENTED_DIFFERENCES.find((d) => d.applies(request, nova, ours));
