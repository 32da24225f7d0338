import { Agent, request } from 'undici';

export interface HttpOptions {
  /** PEM text of the CA bundle that signs Keystone's certificate (`OS_CACERT`); default: Node's CAs. */
  readonly caBundle?: string;
  /** Longest a Keystone call may take, connection included (default 10 s). */
  readonly timeoutMs?: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Why Keystone could not be asked: no answer, or none in time. Never a reason to let a request through. */
export class KeystoneUnreachable extends Error {
  override readonly name = 'KeystoneUnreachable';
}

export interface HttpClient {
  send(method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string): Promise<HttpAnswer>;
  close(): Promise<void>;
}

/**
 * Keystone calls over one keep-alive pool (undici, Node's own HTTP client). Any network failure or
 * timeout becomes `KeystoneUnreachable`; HTTP statuses are returned as they are, for the caller to judge.
 */
export const httpClient = (options: HttpOptions = {}): HttpClient => {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agent = new Agent({
    connect: { timeout: timeoutMs, ...(options.caBundle === undefined ? {} : { ca: options.caBundle }) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 30_000,
  });
  return {
    send: async (method, url, headers, body) => {
      try {
        const answer = await request(url, { method, headers, body, dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) });
        return { status: answer.statusCode, headers: answer.headers, body: await answer.body.text() };
      } catch (e) {
        throw new KeystoneUnreachable(`${method} ${url}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    close: () => agent.close(),
  };
};

export const headerText = (headers: HttpAnswer['headers'], name: string): string | undefined => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};
