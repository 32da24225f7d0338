import type { RequestHeaders } from './credentials.js';
import type { CoreRequest, CoreResponse } from './http.js';

/** What every Node HTTP framework can hand over: the request line's target kept raw, and the headers. */
export interface RawHttpRequest {
  readonly method: string;
  /** The request target as received (`/v2.1/os-hypervisors?limit=1`), never decoded or re-encoded. */
  readonly url: string;
  readonly headers: RequestHeaders;
  readonly scheme?: string;
  /**
   * The mount path, a raw prefix of `url`'s path (Express `req.baseUrl`, koa-mount's prefix, a Fastify
   * plugin's `prefix`, or the embedder's explicit option). It becomes the core's `scriptName`.
   */
  readonly mountPath?: string;
}

/** A mount path as WSGI's `SCRIPT_NAME`: no trailing `/` (so `/` and `` mean the root). */
const normalizeMountPath = (mountPath: string | undefined): string => (mountPath ?? '').replace(/\/+$/, '');

/**
 * A raw request target's path and query, untouched. An absolute-form target (`http://h/p`, sent to
 * proxies) is reduced to its path; a fragment is dropped.
 */
const splitTarget = (url: string): { path: string; query: string } => {
  const target = url.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/, '');
  const hash = target.indexOf('#');
  const withoutHash = hash === -1 ? target : target.slice(0, hash);
  const q = withoutHash.indexOf('?');
  return q === -1 ? { path: withoutHash, query: '' } : { path: withoutHash.slice(0, q), query: withoutHash.slice(q + 1) };
};

/**
 * Whether a raw request target lies under a mount path: its path is the mount path itself or goes on
 * with `/` (`/computer` is not under `/compute`). Everything is under the root.
 */
export const isUnderMountPath = (url: string, mountPath: string | undefined): boolean => {
  const mount = normalizeMountPath(mountPath);
  const { path } = splitTarget(url);
  return mount === '' || path === mount || path.startsWith(`${mount}/`);
};

/**
 * Splits a raw request target into the core's path and query, untouched: Nova's routing decodes the
 * path itself (an encoded `/` must not become a separator) and validates the query bytes (non-UTF-8 is a
 * 400), so neither may be normalised on the way in. With a `mountPath` the target is the full one (the
 * framework's original URL) and is split as WSGI splits it: `SCRIPT_NAME` (the mount, when the path lies
 * under it) and the path below, which Nova's URL map routes on.
 */
export const coreRequestFromUrl = ({ method, url, headers, scheme, mountPath }: RawHttpRequest): CoreRequest => {
  const { path: fullPath, query } = splitTarget(url);
  const mount = normalizeMountPath(mountPath);
  const scriptName = mount !== '' && isUnderMountPath(fullPath, mount) ? mount : '';
  const path = fullPath.slice(scriptName.length);
  return {
    method: method.toUpperCase(),
    path: path === '' ? '/' : path,
    query,
    headers,
    scheme: scheme ?? 'http',
    ...(scriptName === '' ? {} : { scriptName }),
  };
};

/**
 * The response's header list grouped by name (first spelling and first position kept), for Node's
 * `setHeader(name, value | value[])`: an array is written as separate fields, as Nova sends two `Vary`.
 */
export const groupedHeaders = (headers: ReadonlyArray<readonly [string, string]>): Array<[string, string | string[]]> => {
  const groups = new Map<string, [string, string[]]>();
  for (const [name, value] of headers) {
    const group = groups.get(name.toLowerCase());
    if (group === undefined) groups.set(name.toLowerCase(), [name, [value]]);
    else group[1].push(value);
  }
  return [...groups.values()].map(([name, values]) => [name, values.length === 1 ? values[0]! : values]);
};

const utf8 = new TextEncoder();

/**
 * The headers an adapter writes: `groupedHeaders` plus `Content-Length`, the byte length of the body the
 * core answered, so a HEAD answer carries what GET's would, whatever the framework (Nova's WSGI stack
 * sends it; Node and Koa would otherwise differ for HEAD).
 */
export const wireHeaders = (response: Pick<CoreResponse, 'headers' | 'body'>): Array<[string, string | string[]]> => {
  const grouped = groupedHeaders(response.headers);
  if (grouped.some(([name]) => name.toLowerCase() === 'content-length')) return grouped;
  return [...grouped, ['Content-Length', String(utf8.encode(response.body).length)]];
};

/** The part of a Node `IncomingMessage` (or any readable stream) `readRequestBody` uses. */
export interface BodyStream {
  readonly readableEnded?: boolean;
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  resume(): unknown;
}

/**
 * The request body for `CoreRequest.body`, read without holding more than `limit` bytes and one chunk:
 * once the body is longer than `limit` the rest is drained unread (the core answers 413 from what it has;
 * the connection stays usable). Resolves `undefined` when something upstream (a body parser) has already
 * consumed the stream: then the core goes by `Content-Length` alone.
 */
export const readRequestBody = (stream: BodyStream, limit: number): Promise<Uint8Array | undefined> => {
  if (stream.readableEnded === true) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    let length = 0;
    const finish = (result: Uint8Array) => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('close', onEnd);
      stream.removeListener('error', onError);
      resolve(result);
    };
    const concat = () => {
      const out = new Uint8Array(length);
      let at = 0;
      for (const c of chunks) { out.set(c, at); at += c.length; }
      return out;
    };
    const onData = (chunk: Uint8Array | string) => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      chunks.push(bytes);
      length += bytes.length;
      if (length > limit) {
        finish(concat());
        stream.resume(); // no listener left: the rest is discarded as it arrives
      }
    };
    const onEnd = () => finish(concat());
    // The client went away (`aborted`): nobody will read the answer; the handler may still run harmlessly.
    const onError = () => finish(concat());
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    stream.on('error', onError);
  });
};
