import { matchOperation } from './table.js';

/**
 * Where a request lands among the applications of Nova's `osapi_compute` URL map (etc/nova/api-paste.ini):
 * the version list or 300 Multiple Choices of the root application, an unauthenticated version document
 * (`/v2.1`, `/v2.1/`, `/v2`, `/v2/`), or the v2.1 API / the legacy v2 API (run as 2.1, version headers
 * stripped) with its own router. `urlmap.ts` picks the application; this module reads its path.
 */
export type Landing =
  | { readonly kind: 'versions' }
  | { readonly kind: 'version-doc'; readonly api: 'v2.1' | 'v2'; readonly authenticated: boolean; readonly projectId: string | null }
  | { readonly kind: 'api'; readonly api: 'v2.1' | 'v2'; readonly projectId: string | null; readonly segments: ReadonlyArray<string> }
  | { readonly kind: 'choices'; readonly rest: string }
  | { readonly kind: 'unrouted'; readonly api: 'v2.1' | 'v2' };

/** The applications of the URL map. */
export type MountedApp = 'root' | 'v2.1-doc' | 'v2-doc' | 'v2.1-api' | 'v2-api';

/** The project segment Nova's ProjectMapper accepts: hex digits and dashes. */
const PROJECT_SEGMENT = /^[0-9a-f-]+$/;

/**
 * WSGI hands Nova the path as latin-1 text (PEP 3333): each percent-escape becomes one character, so
 * `caf%C3%A9` reads as `cafÃ©` and no byte sequence is invalid. The URL map then collapses repeated
 * slashes.
 */
export const decodePath = (raw: string): string =>
  raw.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\/{2,}/g, '/');

/**
 * The API router's view of its `PATH_INFO` (the path below `/v2.1` or `/v2`). Its patterns (the `routes`
 * library, Python `re`) end in `$`, which also matches just before a final newline, and their parameters
 * are lazy: `/os-hypervisors/detail%0A` is the detail route, `/os-hypervisors/abc%0A` shows `abc`.
 */
const landApi = (api: 'v2.1' | 'v2', pathInfo: string): Landing => {
  if (pathInfo.endsWith('\n')) {
    const stripped = landApiExactly(api, pathInfo.slice(0, -1));
    if (stripped.kind === 'version-doc' || (stripped.kind === 'api' && matchOperation('GET', stripped.segments) !== null)) return stripped;
  }
  return landApiExactly(api, pathInfo);
};

const landApiExactly = (api: 'v2.1' | 'v2', pathInfo: string): Landing => {
  // `/` is the router's own version document, behind authentication.
  if (pathInfo === '/' || pathInfo === '') return { kind: 'version-doc', api, authenticated: true, projectId: null };
  const segments = pathInfo.slice(1).split('/');
  const [first, ...others] = segments;
  if (first === 'os-hypervisors' || first === 'os-aggregates') return { kind: 'api', api, projectId: null, segments };
  if (first !== undefined && PROJECT_SEGMENT.test(first) && others.length > 0) {
    if (others.length === 1 && others[0] === '') return { kind: 'version-doc', api, authenticated: true, projectId: first };
    return { kind: 'api', api, projectId: first, segments: others };
  }
  return { kind: 'unrouted', api };
};

/** What the application a request was dispatched to makes of its path. */
export const landIn = (app: MountedApp, pathInfo: string): Landing => {
  switch (app) {
    case 'root':
      return pathInfo === '/' || pathInfo === '' ? { kind: 'versions' } : { kind: 'choices', rest: pathInfo };
    case 'v2.1-doc':
      return { kind: 'version-doc', api: 'v2.1', authenticated: false, projectId: null };
    case 'v2-doc':
      return { kind: 'version-doc', api: 'v2', authenticated: false, projectId: null };
    case 'v2.1-api':
      return landApi('v2.1', pathInfo);
    case 'v2-api':
      return landApi('v2', pathInfo);
  }
};
