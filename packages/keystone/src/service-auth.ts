import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { headerText, type HttpClient, KeystoneUnreachable } from './http.js';

/** A name or an id, as keystoneauth takes `user_domain_name` or `user_domain_id`. */
export type NameOrId = { readonly name: string } | { readonly id: string };

/** The service's own credentials (keystoneauth's `password` and `v3applicationcredential` plugins). */
export type ServiceCredentials =
  | {
    readonly kind: 'password';
    /** User by id, or by name within its domain. */
    readonly user: { readonly id: string } | { readonly name: string; readonly domain: NameOrId };
    readonly password: string;
    /** Project by id, or by name within its domain; `system` for a system-scoped service token; none: unscoped. */
    readonly scope?: { readonly project: { readonly id: string } | { readonly name: string; readonly domain: NameOrId } } | { readonly system: 'all' };
  }
  | {
    readonly kind: 'application-credential';
    readonly credential: { readonly id: string } | { readonly name: string; readonly user: { readonly id: string } | { readonly name: string; readonly domain: NameOrId } };
    readonly secret: string;
  };

const CatalogBody = t.type({
  token: t.intersection([
    t.type({ expires_at: t.string }),
    t.partial({
      catalog: t.array(t.type({
        type: t.string,
        endpoints: t.array(t.intersection([t.type({ interface: t.string, url: t.string }), t.partial({ region: t.union([t.string, t.null]), region_id: t.union([t.string, t.null]) })])),
      })),
    }),
  ]),
});

/** Answers Keystone gave that a retry will not fix (wrong password, no such user): a 503, said clearly in the log. */
export class ServiceAuthRefused extends Error {
  override readonly name = 'ServiceAuthRefused';
}

/** keystoneauth re-authenticates a token that expires within 30 s (`STALE_TOKEN_DURATION`). */
const STALE_MS = 30_000;

const authBody = (credentials: ServiceCredentials): unknown => {
  if (credentials.kind === 'application-credential') {
    return { auth: { identity: { methods: ['application_credential'], application_credential: { ...credentials.credential, secret: credentials.secret } } } };
  }
  const scope = credentials.scope === undefined ? {} : { scope: 'system' in credentials.scope ? { system: { all: true } } : credentials.scope };
  return { auth: { identity: { methods: ['password'], password: { user: { ...credentials.user, password: credentials.password } } }, ...scope } };
};

export interface ServiceToken {
  readonly token: string;
  readonly expiresAt: number;
  /** The identity endpoint to validate against (catalog entry for the interface and region, else the auth URL). */
  readonly identityUrl: string;
}

export interface ServiceAuthOptions {
  /** Keystone's v3 root, e.g. `https://keystone.example:5000/v3`. */
  readonly authUrl: string;
  readonly credentials: ServiceCredentials;
  /** Catalog interface of the identity endpoint that validates (`OS_INTERFACE`); with neither this nor `regionName`, the auth URL. */
  readonly interface?: string;
  readonly regionName?: string;
  readonly now: () => number;
}

/** `http://k:5000`, `http://k:5000/`, `http://k:5000/v3/` → `http://k:5000/v3`. */
export const v3Root = (url: string): string => {
  const trimmed = url.replace(/\/+$/, '');
  return /\/v3$/.test(trimmed) ? trimmed : `${trimmed}/v3`;
};

/**
 * The service's own token, fetched when first needed, reused until 30 s before it expires, fetched again
 * when Keystone rejects it (`invalidate`). Concurrent callers share one authentication.
 */
export class ServiceAuth {
  private current: ServiceToken | null = null;
  private pending: Promise<ServiceToken> | null = null;
  /** How many times the service authenticated (for operators and tests). */
  authentications = 0;

  constructor(private readonly http: HttpClient, private readonly options: ServiceAuthOptions) {}

  token(): Promise<ServiceToken> {
    const current = this.current;
    if (current !== null && current.expiresAt - STALE_MS > this.options.now()) return Promise.resolve(current);
    this.pending ??= this.authenticate().finally(() => { this.pending = null; });
    return this.pending;
  }

  /** Forget `token` (Keystone said 401 to it); a newer one already fetched is kept. */
  invalidate(token: ServiceToken): void {
    if (this.current === token) this.current = null;
  }

  private async authenticate(): Promise<ServiceToken> {
    const authUrl = v3Root(this.options.authUrl);
    this.authentications += 1;
    const answer = await this.http.send('POST', `${authUrl}/auth/tokens`, { 'Content-Type': 'application/json', Accept: 'application/json' }, JSON.stringify(authBody(this.options.credentials)));
    if (answer.status >= 500) throw new KeystoneUnreachable(`service authentication: Keystone answered ${answer.status}`);
    const token = headerText(answer.headers, 'x-subject-token');
    let decoded: t.Validation<t.TypeOf<typeof CatalogBody>> | undefined;
    try {
      decoded = CatalogBody.decode(JSON.parse(answer.body));
    } catch {
      decoded = undefined;
    }
    if (answer.status !== 201 || token === undefined || decoded === undefined || isLeft(decoded)) {
      // The body may echo the request; only the status is safe to repeat (it never holds the password).
      throw new ServiceAuthRefused(`service authentication refused by Keystone (HTTP ${answer.status})`);
    }
    const expiresAt = Date.parse(decoded.right.token.expires_at);
    // The catalog's identity endpoint when an interface or region is asked for (keystonemiddleware's
    // `interface`, OS_INTERFACE); otherwise the auth URL itself, which an operator gives as the one to use.
    const wanted = this.options.interface;
    const endpoint = wanted === undefined && this.options.regionName === undefined ? undefined : decoded.right.token.catalog
      ?.find((s) => s.type === 'identity')
      ?.endpoints.find((e) => (wanted === undefined || e.interface === wanted) && (this.options.regionName === undefined || (e.region_id ?? e.region) === this.options.regionName));
    this.current = { token, expiresAt, identityUrl: endpoint === undefined ? authUrl : v3Root(endpoint.url) };
    return this.current;
  }
}
