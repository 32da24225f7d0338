import type { OracleResponse } from './nova-oracle.js';

const IGNORED_HEADERS = new Set(['content-length', 'date', 'connection', 'keep-alive']);
const REQUEST_ID_HEADERS = new Set(['x-openstack-request-id', 'x-compute-request-id']);
/** Header names compare case-insensitively; request ids by form only; transport headers not at all. */
const comparableHeaders = (headers: ReadonlyArray<readonly [string, string]>): string[] =>
  headers
    .filter(([k]) => !IGNORED_HEADERS.has(k.toLowerCase()))
    .map(([k, v]) => `${k.toLowerCase()}: ${REQUEST_ID_HEADERS.has(k.toLowerCase()) ? v.replace(/^req-[0-9a-z-]+$/, 'req-<id>') : v}`);

/** What must be equal. A HEAD answer's body never reaches the wire (Node's http drops it, as Nova's webob does). */
export const comparable = (r: OracleResponse, method = 'GET') => ({ status: r.status, headers: comparableHeaders(r.headers), body: method === 'HEAD' ? '' : r.body });
