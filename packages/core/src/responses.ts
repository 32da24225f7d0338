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

/**
 * A bare `webob.exc.HTTPException` page (not a Nova fault, no version headers): its body follows `Accept`
 * (html, json, else plain text), byte for byte as webob renders it.
 */
const webobErrorPage = (status: number, title: string, explanation: string, accept: string | undefined, method: string, extra: HeaderList): CoreResponse => {
  // webob answers HEAD from the exception's defaults, without looking at Accept.
  if (method === 'HEAD') return { status, headers: [['Content-Type', 'text/html; charset=UTF-8'], ...extra], body: '' };
  const match = acceptableOffers(accept, ['text/html', 'application/json'])[0];
  const code = `${status} ${title}`;
  let contentType: string;
  let body: string;
  if (match === 'text/html') {
    contentType = 'text/html; charset=UTF-8';
    body = `<html>\n <head>\n  <title>${code}</title>\n </head>\n <body>\n  <h1>${code}</h1>\n  ${explanation}<br /><br />\n\n\n\n </body>\n</html>`;
  } else if (match === 'application/json') {
    contentType = 'application/json';
    body = pyDumps({ message: `${explanation}<br /><br />\n\n\n`, code, title });
  } else {
    contentType = 'text/plain; charset=UTF-8';
    body = `${code}\n\n${explanation}\n\n   `;
  }
  return { status, headers: [['Content-Type', contentType], ...extra], body };
};

/** The router's bare `webob.exc.HTTPNotFound()`. */
export const webobNotFound = (accept: string | undefined, method: string, extra: HeaderList): CoreResponse =>
  webobErrorPage(404, 'Not Found', 'The resource could not be found.', accept, method, extra);

/** oslo.middleware's `RequestBodySizeLimiter` (`sizelimit` in Nova's API pipelines): a bare webob 413. */
export const webobBodyTooLarge = (maxBodySize: number, accept: string | undefined, method: string, extra: HeaderList): CoreResponse =>
  webobErrorPage(413, 'Request Entity Too Large', `Request is too large. Larger than max_request_body_size (${maxBodySize}).`, accept, method, extra);

/** keystonemiddleware's 401 in front of Nova. */
export const unauthorizedResponse = (extra: HeaderList): CoreResponse => ({
  status: 401,
  headers: [['Content-Type', 'application/json'], ['WWW-Authenticate', "Keystone uri=''"], ...extra],
  body: pyDumps({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } }),
});
