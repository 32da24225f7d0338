import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * Serves a Fetch API handler on Node's `http` server: a small Request bridge for hosts without one
 * (Hono has @hono/node-server; Bun and Deno serve Fetch handlers natively). The request body is passed
 * as a stream, never read here.
 */
export const nodeListener = (fetchHandler: (request: Request) => Promise<Response>): RequestListener =>
  (req: IncomingMessage, res: ServerResponse) => {
    const headers = new Headers();
    for (const [name, values] of Object.entries(req.headersDistinct)) for (const v of values ?? []) headers.append(name, v);
    const scheme = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
    // An absolute-form target (`GET http://h/p`, sent to proxies) is a URL already.
    const target = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(req.url ?? '') ? req.url! : `${scheme}://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    let request: Request;
    try {
      request = new Request(target, {
        method: req.method,
        headers,
        ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
      } as RequestInit);
    } catch {
      // Not a URL the Fetch API can hold (a target such as `*`): no Fetch handler can be asked.
      res.writeHead(400, { 'Content-Length': '0' }).end();
      return;
    }
    fetchHandler(request)
      .then(async (response) => {
        const body = Buffer.from(await response.arrayBuffer());
        res.writeHead(response.status, [...response.headers].flat());
        res.end(body);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Length': '0' });
        res.end();
      });
  };
