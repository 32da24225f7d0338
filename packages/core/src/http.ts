/** A framework-neutral HTTP request, as every adapter hands it to the core handler. */
export interface CoreRequest {
  readonly method: string;
  /** The raw (still percent-encoded) path, without the query string, e.g. `/v2.1/os-hypervisors/detail`. */
  readonly path: string;
  /** The raw query string without `?` (may be empty). Kept raw for repeated keys and encoding checks. */
  readonly query: string;
  /** Header names in any case; repeated headers as arrays (Node's `IncomingMessage.headers` shape works). */
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;
  /** `http` or `https`, for links when no link prefix is configured. Defaults to `http`. */
  readonly scheme?: string;
  /**
   * Where the host application mounted the API, raw (`/compute` in devstack, which serves
   * `/compute/v2.1`): WSGI's `SCRIPT_NAME` before Nova's URL map. `path` is the part below it. Routing
   * never sees it; every link and version document is built under it, as Nova builds them from
   * `request.application_url`. Absent or empty: mounted at the root.
   */
  readonly scriptName?: string;
  /**
   * The request body as far as the adapter read it: all of it, or, when it is larger than the configured
   * `maxBodySize`, at least one byte more than that (`readRequestBody` stops there). Absent when the
   * adapter did not read it (a body parser consumed it first): then only `Content-Length` is checked.
   * Nova reads a body only to refuse it (413 over oslo's size limit; 400 when a version document is sent
   * one that is not JSON); nothing here acts on its content.
   */
  readonly body?: Uint8Array;
}

/** A response: headers as ordered pairs, because Nova sends `Vary` twice as separate fields. */
export interface CoreResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

/** The one core entry point. Credentials, when given, bypass the configured credential resolvers. */
export type Handler = (request: CoreRequest, credentials?: import('./credentials.js').Credentials) => Promise<CoreResponse>;
