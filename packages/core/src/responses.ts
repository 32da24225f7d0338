import { faultBody, type Fault } from './faults.js';
import type { CoreResponse } from './http.js';
import { acceptableOffers } from './http-accept.js';
import { pyDumps } from './json/py-dumps.js';
import type { PyJson } from './json/py-json.js';

export type HeaderList = Array<[string, string]>;

/** Success: Content-Type first, then the version headers (nova/api/openstack/wsgi.py `_process_stack`). */
export const jsonResponse = (status: number, body: PyJson, contentType: string, versionHeaders: HeaderList, extra: HeaderList): CoreResponse => ({
  status,
  headers: [['Content-Type', contentType], ...versionHeaders, ...extra],
  body: pyDumps(body),
});

/** Faults: version headers first, then `application/json; charset=UTF-8` (wsgi.py `Fault.__call__`). */
export const faultResponse = (fault: Fault, versionHeaders: HeaderList, extra: HeaderList): CoreResponse => ({
  status: fault.status,
  headers: [...versionHeaders, ['Content-Type', 'application/json; charset=UTF-8'], ...extra],
  body: pyDumps(faultBody(fault)),
});

/** A webob `HTTPException` rendered by webob itself: not a Nova fault, no version headers. */
interface WebobError {
  /** `404 Not Found` */
  readonly status: string;
  /** The exception class's `explanation`. */
  readonly explanation: string;
  /** The `detail` it was raised with ('' when none). */
  readonly detail: string;
}

/** webob's templates (webob/exc.py `WSGIHTTPException`): the body follows `Accept` (html, json, else plain text). */
const webobError = ({ status, explanation, detail }: WebobError, accept: string | undefined, method: string, extra: HeaderList): CoreResponse => {
  const code = Number(status.slice(0, 3));
  // webob answers HEAD from the exception's defaults, without looking at Accept.
  if (method === 'HEAD') return { status: code, headers: [['Content-Type', 'text/html; charset=UTF-8'], ...extra], body: '' };
  const match = acceptableOffers(accept, ['text/html', 'application/json'])[0];
  let contentType: string;
  let body: string;
  if (match === 'text/html') {
    contentType = 'text/html; charset=UTF-8';
    body = `<html>\n <head>\n  <title>${status}</title>\n </head>\n <body>\n  <h1>${status}</h1>\n  ${explanation}<br /><br />\n${detail}\n\n\n </body>\n</html>`;
  } else if (match === 'application/json') {
    contentType = 'application/json';
    body = pyDumps({ message: `${explanation}<br /><br />\n${detail}\n\n`, code: status, title: status.slice(4) });
  } else {
    contentType = 'text/plain; charset=UTF-8';
    body = `${status}\n\n${explanation}\n\n ${detail}  `;
  }
  return { status: code, headers: [['Content-Type', contentType], ...extra], body };
};

/** The router's bare `webob.exc.HTTPNotFound()`, byte for byte as webob renders it. */
export const webobNotFound = (accept: string | undefined, method: string, extra: HeaderList): CoreResponse =>
  webobError({ status: '404 Not Found', explanation: 'The resource could not be found.', detail: '' }, accept, method, extra);

/** oslo.middleware's `RequestBodySizeLimiter` (`sizelimit` in Nova's API pipelines): a bare webob 413. */
export const webobBodyTooLarge = (maxBodySize: number, accept: string | undefined, method: string, extra: HeaderList): CoreResponse =>
  webobError({ status: '413 Request Entity Too Large', explanation: `Request is too large. Larger than max_request_body_size (${maxBodySize}).`, detail: '' }, accept, method, extra);

/**
 * keystonemiddleware's answer when Keystone cannot be asked (auth_token `fetch_token`: connection failure,
 * timeout, 5xx): `webob.exc.HTTPServiceUnavailable('The Keystone service is temporarily unavailable.')`.
 */
export const keystoneUnavailableResponse = (accept: string | undefined, method: string, extra: HeaderList): CoreResponse =>
  webobError({
    status: '503 Service Unavailable',
    explanation: 'The server is currently unavailable. Please try again at a later time.',
    detail: 'The Keystone service is temporarily unavailable.',
  }, accept, method, extra);

/**
 * keystonemiddleware's 401 in front of Nova. Given the middleware's `www_authenticate_uri`, its header is
 * `Keystone uri="<uri>"` (auth_token `_reject_auth_headers`); without Keystone, the dev answer names none.
 */
export const unauthorizedResponse = (extra: HeaderList, wwwAuthenticateUri?: string): CoreResponse => ({
  status: 401,
  headers: [['Content-Type', 'application/json'], ['WWW-Authenticate', wwwAuthenticateUri === undefined ? "Keystone uri=''" : `Keystone uri="${wwwAuthenticateUri}"`], ...extra],
  body: pyDumps({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } }),
});
