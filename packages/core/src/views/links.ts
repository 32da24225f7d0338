import type { PyJson } from '../json/py-json.js';
import { lastValue, pyUrlencode, type QueryPairs } from '../query/parse.js';

/** The request facts Nova's link builders read (nova/api/openstack/common.py `ViewBuilder`). */
export interface LinkContext {
  /** scheme://host[:port] + script name (`/v2.1` or `/v2`): webob's `application_url`. */
  readonly applicationUrl: string;
  /** The whole request URL, query included: Nova adds the project segment iff the id occurs in it. */
  readonly requestUrl: string;
  readonly projectId: string | null;
  /** `[api] compute_link_prefix`. */
  readonly linkPrefix: string | null;
}

/** `_update_link_prefix`: the prefix's scheme and host replace the URL's, its path goes in front. */
export const applyLinkPrefix = (url: string, prefix: string | null): string => {
  if (prefix === null || prefix === '') return url;
  const u = new URL(url);
  const p = new URL(prefix);
  const path = (p.pathname === '/' ? '' : p.pathname) + u.pathname;
  return `${p.protocol}//${p.host}${path}${u.search}`.replace(/\/+$/, '');
};

/** `url_join`: parts stripped of `/`, empty parts dropped, joined by `/`. */
const urlJoin = (...parts: string[]): string => parts.filter((p) => p !== '').map((p) => p.replace(/^\/+|\/+$/g, '')).join('/');

/**
 * `_get_collection_links`: a `next` link iff `min(limit or max_limit, max_limit)` is non-zero and equals
 * the number of items. Its query: the current parameters sorted by (name, value) — a repeated name keeps
 * the value that sorts last — with `marker` set to the last item's id (a new marker goes last).
 */
export const collectionLinks = (
  ctx: LinkContext,
  pairs: QueryPairs,
  collection: string,
  items: ReadonlyArray<Record<string, PyJson>>,
  maxLimit: number,
): Array<{ rel: 'next'; href: string }> => {
  const limitText = lastValue(pairs, 'limit');
  const maxItems = Math.min(limitText === undefined ? maxLimit : Number(limitText), maxLimit);
  if (maxItems === 0 || maxItems !== items.length) return [];
  const lastId = items[items.length - 1]!.id;
  const sorted = [...pairs].sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  const params = new Map<string, string>();
  for (const [k, v] of sorted) params.set(k, v);
  params.set('marker', String(lastId));
  const project = ctx.projectId !== null && ctx.projectId !== '' && ctx.requestUrl.includes(ctx.projectId) ? ctx.projectId : '';
  const base = urlJoin(applyLinkPrefix(ctx.applicationUrl, ctx.linkPrefix), project, collection);
  return [{ rel: 'next', href: `${base}?${pyUrlencode([...params])}` }];
};
