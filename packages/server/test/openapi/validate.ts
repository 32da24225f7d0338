import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { buildOpenApiDocument, formatVersion, matchOperation, OPERATIONS, type ApiVersion, type OpenApiDocument } from '@os-hypervisors/core';

// ajv-formats is CommonJS with a default export: under NodeNext its namespace object is what `import` gives.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** An answer as recorded by a test: the raw path below the host, its status and its body text. */
export interface RecordedAnswer {
  readonly method: string;
  /** `/v2.1/os-hypervisors/1`, `/v2/…`, `/v2.1/{project}/…`; a query string is ignored. */
  readonly path: string;
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

export interface Verdict {
  /** The documented route the answer was checked against; null when the request is no documented route. */
  readonly route: string | null;
  readonly version: string;
  /** ajv's complaints; empty when the body is what the document says. */
  readonly errors: ReadonlyArray<string>;
}

const MIN: ApiVersion = { major: 2, minor: 1 };
const MAX: ApiVersion = { major: 2, minor: 93 };

/** The microversion an answer was made at: its `OpenStack-API-Version` header, else 2.1 (legacy /v2, or a 400 before negotiation); clamped to the documents there are. */
const answerVersion = (headers: RecordedAnswer['headers']): ApiVersion => {
  const header = headers.find(([n]) => n.toLowerCase() === 'openstack-api-version')?.[1];
  const m = header === undefined ? null : /^compute (\d+)\.(\d+)$/.exec(header);
  if (m === null) return MIN;
  const v = { major: Number(m[1]), minor: Number(m[2]) };
  if (v.major !== 2 || v.minor < MIN.minor) return MIN;
  return v.minor > MAX.minor ? MAX : v;
};

/** The route table's view of a request path: the operation, or null (not a route of this API). */
const routeOf = (method: string, rawPath: string): keyof typeof OPERATIONS | null => {
  // As Nova's router sees it: every escape decoded first (an encoded `/` separates), repeated `/` collapsed.
  const path = rawPath.split('?', 1)[0]!.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\/{2,}/g, '/');
  const m = /^\/v2(?:\.1)?(\/.*)$/.exec(path);
  if (m === null) return null;
  let segments = m[1]!.slice(1).split('/');
  if (segments.length > 1 && /^[0-9a-f-]+$/.test(segments[0]!) && segments[0] !== 'os-hypervisors') segments = segments.slice(1);
  return matchOperation(method, segments)?.operation ?? null;
};

/**
 * Checks recorded answers against the generated OpenAPI document of their microversion: the 200 body of
 * the route, or the declared fault body of an error status. A status the document does not declare is an
 * error too. ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect) with formats (`uuid`, `uri`) checked.
 */
export class OpenApiAnswers {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly documents = new Map<string, OpenApiDocument>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
  }

  private documentId(version: ApiVersion): string {
    const id = `openapi-${formatVersion(version)}.json`;
    if (!this.documents.has(id)) {
      const document = buildOpenApiDocument(version);
      this.documents.set(id, document);
      this.ajv.addSchema(document as object, id);
    }
    return id;
  }

  private validator(ref: string): ValidateFunction {
    let v = this.compiled.get(ref);
    if (v === undefined) {
      v = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, v);
    }
    return v;
  }

  check(answer: RecordedAnswer): Verdict {
    const version = answerVersion(answer.headers);
    const operation = answer.method === 'GET' ? routeOf(answer.method, answer.path) : null;
    const shown = formatVersion(version);
    if (operation === null) return { route: null, version: shown, errors: [] };
    const id = this.documentId(version);
    const document = this.documents.get(id)!;
    const path = OPERATIONS[operation].path;
    const pointer = (...parts: string[]) => `${id}#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
    const paths = document.paths as Record<string, { get: { responses: Record<string, unknown> } }>;
    const listed = paths[path];
    let ref: string;
    if (listed === undefined) {
      // The route does not exist at this microversion: Nova's 404 (or the spec profile's 410) fault.
      if (answer.status !== 404 && answer.status !== 410) return { route: `GET ${path}`, version: shown, errors: [`GET ${path} is not in the ${shown} document, yet answered ${answer.status}`] };
      ref = pointer('components', 'schemas', `fault${answer.status}`);
    } else if (listed.get.responses[String(answer.status)] === undefined) {
      return { route: `GET ${path}`, version: shown, errors: [`status ${answer.status} is not declared for GET ${path} at ${shown}`] };
    } else {
      ref = pointer('paths', path, 'get', 'responses', String(answer.status), 'content', 'application/json', 'schema');
    }
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      return { route: `GET ${path}`, version: shown, errors: [`the body is not JSON: ${answer.body.slice(0, 80)}`] };
    }
    const validate = this.validator(ref);
    const ok = validate(body);
    return { route: `GET ${path}`, version: shown, errors: ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`) };
  }
}
