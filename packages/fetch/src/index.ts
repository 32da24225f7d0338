import { coreRequestFromUrl, isUnderMountPath, wireHeaders, type Credentials, type Handler } from '@os-hypervisors/core';

export interface FetchAdapterOptions {
  /** Credentials established by the host application (its own auth); when absent the core's resolvers run. */
  readonly credentials?: (request: Request) => Credentials | undefined;
  /**
   * Where the API lives in the public URL (`/compute`): a Fetch `Request` carries the whole URL and no
   * mount, so a route handler below a prefix names it here. Links and version documents are built under
   * it; a request outside it gets a bare 404 (the API does not live there).
   */
  readonly mountPath?: string;
}

/** Statuses whose Response may carry no body (Fetch standard, "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

const utf8 = new TextEncoder();

/**
 * Fetch `Headers` keep one entry per name, a repeated one joined by `, ` (as a WSGI server hands it to
 * Nova). Hosts that leave `Host` out of the Headers still have it in the URL.
 */
const headerRecord = (headers: Headers, url: URL): Record<string, string> => ({ host: url.host, ...Object.fromEntries(headers) });

/** One request through the core: the adapters below differ only in where the mount path comes from. */
const respond = async (handler: Handler, request: Request, mountPath: string | undefined, options: FetchAdapterOptions): Promise<Response> => {
  const url = new URL(request.url);
  if (!isUnderMountPath(url.pathname, mountPath)) return new Response(null, { status: 404 });
  const core = coreRequestFromUrl({
    method: request.method,
    url: `${url.pathname}${url.search}`,
    mountPath,
    headers: headerRecord(request.headers, url),
    scheme: url.protocol.slice(0, -1),
  });
  const response = await handler(core, options.credentials?.(request));
  const headers = new Headers();
  // Fetch Headers join a repeated name (Nova's two `Vary`) into one field, as HTTP allows for lists.
  for (const [name, value] of wireHeaders(response)) for (const v of typeof value === 'string' ? [value] : value) headers.append(name, v);
  // Bytes, not a string: a string body would gain a `text/plain` Content-Type the core did not send; an
  // empty one is no body at all, which hosts (@hono/node-server) would otherwise label text/plain too.
  const bodyless = NULL_BODY.has(response.status) || request.method === 'HEAD' || response.body === '';
  return new Response(bodyless ? null : utf8.encode(response.body), { status: response.status, headers });
};

/**
 * A Fetch API handler, `(Request) => Promise<Response>`, serving the core handler: for Hono, Bun, Deno,
 * Cloudflare Workers and Next.js route handlers. It decides nothing. The path is the URL's as the Fetch
 * URL parser left it (dot segments resolved, some characters percent-encoded): the raw request target is
 * not part of a Fetch `Request`.
 */
export const createFetchHandler = (handler: Handler, options: FetchAdapterOptions = {}): ((request: Request) => Promise<Response>) =>
  (request) => respond(handler, request, options.mountPath, options);

/** The part of a Hono context the Hono handler reads (structural: this package does not depend on Hono). */
export interface HonoLikeContext {
  readonly req: { readonly raw: Request; readonly routePath: string };
}

/**
 * For Hono: `app.all('/compute/*', createHonoHandler(handler))`, or inside `app.route('/compute', …)` /
 * `basePath('/compute')`. The mount path is the one Hono reports, the matched route's static part
 * (`/compute/*` → `/compute`); the option `mountPath` overrides it.
 */
export const createHonoHandler = (handler: Handler, options: FetchAdapterOptions = {}): ((c: HonoLikeContext) => Promise<Response>) =>
  (c) => respond(handler, c.req.raw, options.mountPath ?? honoMountPath(c.req.routePath), options);

/** `/compute/*` → `/compute`; a route with parameters names no fixed mount (then the root). */
const honoMountPath = (routePath: string): string => {
  const fixed = routePath.replace(/\/?\*$/, '');
  return /[:*{(]/.test(fixed) ? '' : fixed;
};
