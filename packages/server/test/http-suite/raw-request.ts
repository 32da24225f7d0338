import { request } from 'node:http';

export interface RawResponse {
  readonly status: number;
  /** Header fields as sent, in order, names lower-cased: repeated fields stay separate. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

export interface RawRequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string | ReadonlyArray<string>>>;
}

/**
 * One request over a real socket with node:http, keeping `rawHeaders` (framework helpers join repeated
 * headers, which would hide a joined `Vary`) and the body byte for byte. `path` is sent as is, so
 * encoded segments and odd query strings reach the server untouched.
 */
export const rawRequest = (baseUrl: string, path: string, options: RawRequestOptions = {}): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path,
        headers: options.headers as Record<string, string | string[]> | undefined,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const pairs: Array<[string, string]> = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
          resolve({ status: res.statusCode ?? 0, headers: pairs, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });

/** Values of one header, in order (separate fields stay separate). */
export const headerValues = (res: RawResponse, name: string): string[] =>
  res.headers.filter(([n]) => n === name.toLowerCase()).map(([, v]) => v);
