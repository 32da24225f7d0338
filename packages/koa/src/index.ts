import { coreRequestFromUrl, DEFAULT_CONFIG, isUnderMountPath, readRequestBody, wireHeaders, type Credentials, type Handler } from '@os-hypervisors/core';
import type { Context, Middleware } from 'koa';

export interface KoaAdapterOptions {
  /** Credentials established by the host application (its own auth); when absent the core's resolvers run. */
  readonly credentials?: (ctx: Context) => Credentials | undefined;
  /** The handler's `maxBodySize` (default Nova's 114,688): how much of a body is read before the core answers 413. */
  readonly maxBodySize?: number;
  /**
   * Where the API lives in the public URL (`/compute`), instead of what koa-mount or @koa/router's
   * `prefix` report; `''` serves the API at the root whatever the mount. Requests outside it go on to
   * the next middleware.
   */
  readonly mountPath?: string;
}

/** What koa-mount and @koa/router leave on the context. */
type MountedContext = Context & { mountPath?: string; router?: { opts?: { prefix?: string } } };

/**
 * The mount path Koa's mounting middleware reports: the prefix koa-mount (nested or not) cut from the
 * URL (what `originalUrl` has in front of `url`; a bare `/compute` becomes `/`, then its `mountPath`
 * says), else the `prefix` of the @koa/router that routed the request (it matches without cutting).
 */
const reportedMountPath = (ctx: MountedContext): string => {
  const cut = ctx.originalUrl.endsWith(ctx.url) ? ctx.originalUrl.slice(0, ctx.originalUrl.length - ctx.url.length) : ctx.mountPath ?? '';
  return cut !== '' ? cut : ctx.router?.opts?.prefix ?? '';
};

/**
 * Koa middleware serving the core handler. It decides nothing: the core answers every path it is given,
 * including 404s and the version documents, so mount it where the API should live. The response goes
 * through ctx.status / ctx.body, so Koa writes it and upstream middleware can still observe it.
 */
export const hypervisorsMiddleware = (handler: Handler, options: KoaAdapterOptions = {}): Middleware =>
  async (ctx, next) => {
    // originalUrl is the raw full target; the mount path is the part the core builds links under.
    const mountPath = options.mountPath ?? reportedMountPath(ctx);
    if (!isUnderMountPath(ctx.originalUrl, mountPath)) return next();
    const request = coreRequestFromUrl({ method: ctx.method, url: ctx.originalUrl, mountPath, headers: ctx.req.headersDistinct, scheme: ctx.protocol });
    const body = await readRequestBody(ctx.req, options.maxBodySize ?? DEFAULT_CONFIG.maxBodySize);
    const response = await handler(body === undefined ? request : { ...request, body }, options.credentials?.(ctx));
    ctx.status = response.status;
    // ctx.set with an array writes separate fields (Nova's two `Vary`); ctx.vary() would join them.
    for (const [name, value] of wireHeaders(response)) ctx.set(name, value);
    // Content-Type is already set, so Koa keeps it instead of guessing text/plain or text/html.
    ctx.body = response.body;
    // A response without one (the CORS-style bare 200 to OPTIONS) must not gain Koa's guess either.
    if (!response.headers.some(([name]) => name.toLowerCase() === 'content-type')) ctx.remove('Content-Type');
  };
