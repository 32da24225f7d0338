import { coreRequestFromUrl, isUnderMountPath, wireHeaders, type Credentials, type Handler } from '@os-hypervisors/core';
import type { Context, Middleware } from 'koa';

export interface KoaAdapterOptions {
  /** Credentials established by the host application (its own auth); when absent the core's resolvers run. */
  readonly credentials?: (ctx: Context) => Credentials | undefined;
  /**
   * Where the API lives in the public URL (`/compute`), instead of the prefix koa-mount stripped. Needed
   * behind a router that matches a prefix without stripping it (`@koa/router`); `''` serves the API at
   * the root whatever the mount. Requests outside it go on to the next middleware.
   */
  readonly mountPath?: string;
}

/**
 * The prefix a mounting middleware (koa-mount, nested or not) cut from the URL: what `originalUrl` has
 * in front of `url`. koa-mount turns a bare `/compute` into `/`, which then names its `mountPath`.
 */
const strippedPrefix = (ctx: Context): string => {
  if (ctx.originalUrl.endsWith(ctx.url)) return ctx.originalUrl.slice(0, ctx.originalUrl.length - ctx.url.length);
  return (ctx as Context & { mountPath?: string }).mountPath ?? '';
};

/**
 * Koa middleware serving the core handler. It decides nothing: the core answers every path it is given,
 * including 404s and the version documents, so mount it where the API should live. The response goes
 * through ctx.status / ctx.body, so Koa writes it and upstream middleware can still observe it.
 */
export const hypervisorsMiddleware = (handler: Handler, options: KoaAdapterOptions = {}): Middleware =>
  async (ctx, next) => {
    // originalUrl is the raw full target; the mount path is the part the core builds links under.
    const mountPath = options.mountPath ?? strippedPrefix(ctx);
    if (!isUnderMountPath(ctx.originalUrl, mountPath)) return next();
    const request = coreRequestFromUrl({ method: ctx.method, url: ctx.originalUrl, mountPath, headers: ctx.req.headersDistinct, scheme: ctx.protocol });
    const response = await handler(request, options.credentials?.(ctx));
    ctx.status = response.status;
    // ctx.set with an array writes separate fields (Nova's two `Vary`); ctx.vary() would join them.
    for (const [name, value] of wireHeaders(response)) ctx.set(name, value);
    // Content-Type is already set, so Koa keeps it instead of guessing text/plain or text/html.
    ctx.body = response.body;
    // A response without one (the CORS-style bare 200 to OPTIONS) must not gain Koa's guess either.
    if (!response.headers.some(([name]) => name.toLowerCase() === 'content-type')) ctx.remove('Content-Type');
  };
