import type { RequestHeaders } from '../credentials.js';
import { headerValue } from '../microversion/headers.js';
import { decodePath, type Landing, landIn, type MountedApp } from './landing.js';
import { bestMatch, parseAccept, parseOptionsHeader } from './urlmap-headers.js';

/**
 * Nova's URL map (nova/api/openstack/urlmap.py over Zed's `osapi_compute` composite): it chooses the
 * application a request reaches and the media type every answer of that request is written in.
 *
 * The application comes from the path prefix; for any other path, from a `version=` parameter of
 * `Content-Type`, then of the best `Accept` range (`Accept: application/json;version=2.1` sends `/foo`
 * to the v2.1 version document, `version=2.1/x` even into the v2.1 API with the path unchanged); else the
 * root application. The media type comes from a `.json` path suffix, else the best `Accept` range.
 */
export interface Dispatch {
  readonly landing: Landing;
  /** `nova.best_content_type`: the Content-Type of every success answer. */
  readonly mediaType: string;
}

interface Mount {
  readonly url: string;
  readonly app: MountedApp;
  /** `/v2.1/+`: the prefix, a slash and at least one more character. */
  readonly wildcard: boolean;
}

/** The composite's mounts, longest first as paste orders them. */
const MOUNTS: ReadonlyArray<Mount> = [
  { url: '/v2.1', app: 'v2.1-api', wildcard: true },
  { url: '/v2.1', app: 'v2.1-doc', wildcard: false },
  { url: '/v2', app: 'v2-api', wildcard: true },
  { url: '/v2', app: 'v2-doc', wildcard: false },
  { url: '', app: 'root', wildcard: false },
];

const ROOT_MOUNT = MOUNTS[MOUNTS.length - 1]!;

const matchMount = (path: string): Mount | undefined =>
  MOUNTS.find((m) => (m.wildcard
    ? path.startsWith(`${m.url}/`) && path.length >= m.url.length + 2
    : path === m.url || path.startsWith(`${m.url}/`)));

const SUPPORTED_TYPES = ['application/json', 'application/vnd.openstack.compute+json'];
/** The version list and each API's `/` also accept Atom (and then label their JSON so). */
const INDEX_TYPES = [...SUPPORTED_TYPES, 'application/atom+xml'];

const suffixType = (path: string): string | null => {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return null;
  const type = `application/${path.slice(dot + 1)}`;
  return SUPPORTED_TYPES.includes(type) ? type : null;
};

export const dispatch = (rawPath: string, headers: RequestHeaders): Dispatch => {
  const decoded = decodePath(rawPath);
  const path = decoded === '' ? '/' : decoded;
  let mediaType = suffixType(path);

  // 1. The path prefix; the root mount does not count here. A target such as `*` (not a path) matches
  // no mount at all: it goes to the root application in step 4.
  const byPath = matchMount(path) ?? ROOT_MOUNT;
  const mounted = (mount: Mount) => ({ app: mount.app, pathInfo: path.slice(mount.url.length) });
  let target: { app: MountedApp; pathInfo: string } | null = byPath === ROOT_MOUNT ? null : mounted(byPath);
  const supported = (byPath !== ROOT_MOUNT && `${byPath.url}/` === path) || path === '/' ? INDEX_TYPES : SUPPORTED_TYPES;
  // A version parameter mounts the path, unchanged, below that version's prefix.
  const byVersion = (version: string | null | undefined) => {
    if (target !== null || version === null || version === undefined) return;
    const mount = matchMount(`/v${version}`);
    if (mount !== undefined) target = { app: mount.app, pathInfo: path };
  };

  // 2. Content-Type's version parameter.
  if (target === null) byVersion(parseOptionsHeader(headerValue(headers, 'content-type') ?? '').params.get('version'));

  // 3. The best Accept range: media type and version parameter.
  if (mediaType === null || target === null) {
    const best = bestMatch(parseAccept(headerValue(headers, 'accept') ?? ''), supported);
    mediaType ??= best.type;
    byVersion(best.params.get('version'));
  }

  // 4. The root application.
  target ??= mounted(byPath);
  return { landing: landIn(target.app, target.pathInfo), mediaType: mediaType ?? 'application/json' };
};
