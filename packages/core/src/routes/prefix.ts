/**
 * Where a path lands in Nova's paste pipelines (etc/nova/api-paste.ini, nova/api/openstack/urlmap.py):
 * the unauthenticated version documents, the v2.1 API, the legacy v2 API (run as 2.1, version headers
 * stripped), or the root application's 300 Multiple Choices for anything else.
 */
export type Landing =
  | { readonly kind: 'versions' }
  | { readonly kind: 'version-doc'; readonly api: 'v2.1' | 'v2'; readonly authenticated: boolean }
  | { readonly kind: 'api'; readonly api: 'v2.1' | 'v2'; readonly projectId: string | null; readonly segments: ReadonlyArray<string> }
  | { readonly kind: 'choices'; readonly rest: string }
  | { readonly kind: 'unrouted'; readonly api: 'v2.1' | 'v2' };

/** The project segment Nova's ProjectMapper accepts: hex digits and dashes. */
const PROJECT_SEGMENT = /^[0-9a-f-]+$/;

/**
 * WSGI hands Nova the path as latin-1 text (PEP 3333): each percent-escape becomes one character, so
 * `caf%C3%A9` reads as `cafÃ©` and no byte sequence is invalid. Nova's URL mapper then collapses
 * repeated slashes.
 */
const decodePath = (raw: string): string =>
  raw.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\/{2,}/g, '/');

export const landPath = (rawPath: string): Landing => {
  const path = decodePath(rawPath);
  if (path === '/' || path === '') return { kind: 'versions' };
  const m = /^\/(v2\.1|v2)(\/.*)?$/.exec(path);
  if (m === null) return { kind: 'choices', rest: path };
  const api = m[1] as 'v2.1' | 'v2';
  const tail = m[2];
  if (tail === undefined) return { kind: 'version-doc', api, authenticated: false };
  if (tail === '/') return { kind: 'version-doc', api, authenticated: true };
  const segments = tail.slice(1).split('/');
  const [first, ...others] = segments;
  if (first === 'os-hypervisors' || first === 'os-aggregates') return { kind: 'api', api, projectId: null, segments };
  if (first !== undefined && PROJECT_SEGMENT.test(first) && others.length > 0) {
    if (others.length === 1 && others[0] === '') return { kind: 'version-doc', api, authenticated: true };
    return { kind: 'api', api, projectId: first, segments: others };
  }
  return { kind: 'unrouted', api };
};
