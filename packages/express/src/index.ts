import { coreRequestFromUrl, DEFAULT_CONFIG, isUnderMountPath, readRequestBody, wireHeaders, type Credentials, type Handler } from '@os-hypervisors/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface ExpressAdapterOptions {
  /** Credentials established by the host application (its own auth); when absent the core's resolvers run. */
  readonly credentials?: (req: Request) => Credentials | undefined;
  /** The handler's `maxBodySize` (default Nova's 114,688): how much of a body is read before the core answers 413. */
  readonly maxBodySize?: number;
  /**
   * Where the API lives in the public URL (`/compute`), instead of the path Express reports
   * (`req.baseUrl`, the `app.use` / router prefix). `''` serves it at the root whatever the mount.
   * Requests outside it go on to the next middleware.
   */
  readonly mountPath?: string;
}

/**
 * Express middleware serving the core handler. It decides nothing: the core answers every path it is
 * given, including 404s and the version documents, so mount it where the API should live
 * (`app.use('/compute', …)` serves `/compute/v2.1/…`, every link under `/compute`).
 */
export const hypervisorsMiddleware = (handler: Handler, options: ExpressAdapterOptions = {}): RequestHandler =>
  (req: Request, res: Response, next: NextFunction): void => {
    // originalUrl is the raw full target (req.url lost the mount path); baseUrl is that mount path.
    const mountPath = options.mountPath ?? req.baseUrl;
    if (!isUnderMountPath(req.originalUrl, mountPath)) return next();
    const request = coreRequestFromUrl({ method: req.method, url: req.originalUrl, mountPath, headers: req.headersDistinct, scheme: req.protocol });
    readRequestBody(req, options.maxBodySize ?? DEFAULT_CONFIG.maxBodySize)
      .then((body) => handler(body === undefined ? request : { ...request, body }, options.credentials?.(req)))
      .then((response) => {
        res.statusCode = response.status;
        // An array value is written as separate fields: Nova's two `Vary` headers stay two.
        for (const [name, value] of wireHeaders(response)) res.setHeader(name, value);
        // res.end, not res.send: send would add an ETag and rewrite the Content-Type.
        res.end(response.body);
      })
      .catch(next);
  };
