import {
  type AuthRejection,
  type CredentialOutcome,
  type Credentials,
  type CredentialSource,
  type RequestHeaders,
  type SharedTokenCache,
} from '@os-hypervisors/core';
import { httpClient, type HttpClient, type HttpOptions } from './http.js';
import { ServiceAuth, type ServiceCredentials } from './service-auth.js';
import { credentialsFor, type TokenIdentity } from './token-body.js';
import { TokenCache, type TokenCacheStats } from './token-cache.js';
import { keystoneTokenValidator, type TokenValidator, type TokenVerdict } from './token-validator.js';

export interface KeystoneAuthOptions extends HttpOptions {
  /** Keystone's identity endpoint (`OS_AUTH_URL`), with or without `/v3`. */
  readonly authUrl: string;
  /** The service's own credentials, to be allowed to validate tokens. */
  readonly serviceCredentials: ServiceCredentials;
  /** `OS_REGION_NAME` and `OS_INTERFACE`: which catalog identity endpoint validates (default: the auth URL). */
  readonly regionName?: string;
  readonly interface?: string;
  /**
   * keystonemiddleware's `www_authenticate_uri`, named in every 401's `WWW-Authenticate: Keystone uri="…"`:
   * the public identity endpoint clients should get a token from (default: `authUrl`).
   */
  readonly wwwAuthenticateUri?: string;
  /** Tokens kept in memory (default 10,000). */
  readonly tokenCacheSize?: number;
  /** Seconds a valid token's verdict is kept at most (default 300, keystonemiddleware's `token_cache_time`). */
  readonly tokenCacheTime?: number;
  /** Seconds an invalid token's verdict is kept (default 10). */
  readonly invalidTokenCacheTime?: number;
  /** A cache shared between replicas (e.g. `redisTokenCache` of @os-hypervisors/cache-redis). */
  readonly sharedCache?: SharedTokenCache;
  /**
   * keystonemiddleware's `service_token_roles` (default `service`): a valid service token holding one of
   * them lets the user's token be used past its expiry (`allow_expired`), as for long-running operations.
   */
  readonly serviceTokenRoles?: ReadonlyArray<string>;
  /**
   * keystonemiddleware's `service_token_roles_required`: a service token without one of `serviceTokenRoles`
   * fails the request (401). Off by default, as in keystonemiddleware; Nova's deployment guides turn it on.
   */
  readonly serviceTokenRolesRequired?: boolean;
  /** Epoch milliseconds; injected for tests. */
  readonly now?: () => number;
  /** Told why a request got a 503 (Keystone unreachable, refused service credentials…); never a token or password. */
  readonly onError?: (error: Error) => void;
}

export interface KeystoneAuth {
  /** For the core handler's chain (`credentialResolvers`): answers synchronously when every token is cached. */
  readonly resolver: CredentialSource;
  readonly stats: Readonly<TokenCacheStats> & { readonly serviceAuthentications: number };
  /** Drops every cached verdict in this process (the shared cache keeps its own until they expire). */
  clearCache(): void;
  /** Closes Keystone connections (and the shared cache, when given). */
  close(): Promise<void>;
}

const UNAVAILABLE: AuthRejection = { rejected: 'unavailable' };

/**
 * keystonemiddleware's `request.user_token` (`X-Auth-Token`, else `X-Storage-Token`) and `service_token`
 * (`X-Service-Token`), stripped (bug 1689468), an empty one counting as none; read in one pass over the
 * headers, since this runs on every request. Repeated fields are joined with `,`, as WSGI servers do.
 */
const requestTokens = (headers: RequestHeaders): { user: string | null; service: string | null } => {
  let auth: string | undefined;
  let storage: string | undefined;
  let service: string | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : value.join(',');
    switch (name.length === 12 || name.length === 15 ? name.toLowerCase() : '') {
      case 'x-auth-token': auth = auth === undefined ? text : `${auth},${text}`; break;
      case 'x-storage-token': storage = storage === undefined ? text : `${storage},${text}`; break;
      case 'x-service-token': service = service === undefined ? text : `${service},${text}`; break;
    }
  }
  const stripped = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : v.trim());
  return { user: auth !== undefined ? stripped(auth) : stripped(storage), service: stripped(service) };
};

type Step = TokenVerdict | Promise<TokenVerdict>;
const then = <A, B>(value: A | Promise<A>, f: (a: A) => B | Promise<B>): B | Promise<B> =>
  value instanceof Promise ? value.then(f) : f(value);

/**
 * Keystone authentication as Nova's keystonemiddleware `auth_token` gives it (delay_auth_decision off):
 * the service token (`X-Service-Token`) first, then the user's (`X-Auth-Token`, or `X-Storage-Token`).
 * Missing, invalid, expired, access-rule-restricted user token, or an invalid service token → 401 naming
 * `www_authenticate_uri`; Keystone unreachable, slow, 5xx or refusing the service's own credentials → 503.
 * Never a request let through without Keystone's word, cached or fresh.
 */
export const createKeystoneAuth = (options: KeystoneAuthOptions, http: HttpClient = httpClient(options)): KeystoneAuth => {
  const now = options.now ?? Date.now;
  const serviceAuth = new ServiceAuth(http, { authUrl: options.authUrl, credentials: options.serviceCredentials, interface: options.interface, regionName: options.regionName, now });
  const validator: TokenValidator = keystoneTokenValidator(http, serviceAuth);
  const cache = new TokenCache({ size: options.tokenCacheSize, tokenCacheTime: options.tokenCacheTime, invalidTokenCacheTime: options.invalidTokenCacheTime, shared: options.sharedCache, now });
  const unauthenticated: AuthRejection = { rejected: 'unauthenticated', wwwAuthenticateUri: options.wwwAuthenticateUri ?? options.authUrl };
  const serviceRoles = new Set(options.serviceTokenRoles ?? ['service']);

  const verdict = (token: string, allowExpired: boolean): Step =>
    cache.get(token, allowExpired, () => validator.validate(token, allowExpired));

  /** `_validate_token`: a token expiring now is invalid unless expiry is allowed. */
  const usable = (v: TokenVerdict, allowExpired: boolean): TokenIdentity | null =>
    v.valid && (allowExpired || v.identity.expiresAt > now()) ? v.identity : null;

  // One frozen Credentials object per validated token (or token pair): requests with a cached token reuse
  // it, so what the policy derives from it (context_is_admin) is derived once per token too.
  const alone = new WeakMap<TokenIdentity, Credentials>();
  const paired = new WeakMap<TokenIdentity, WeakMap<TokenIdentity, Credentials>>();
  const credentialsOf = (user: TokenIdentity, service: TokenIdentity | null): Credentials => {
    let byService = alone;
    if (service !== null) {
      byService = paired.get(service) ?? new WeakMap();
      paired.set(service, byService);
    }
    let credentials = byService.get(user);
    if (credentials === undefined) {
      credentials = Object.freeze(credentialsFor(user, service));
      byService.set(user, credentials);
    }
    return credentials;
  };

  const judgeUser = (userToken: string, service: TokenIdentity | null): CredentialOutcome | Promise<CredentialOutcome> => {
    const allowExpired = service !== null && service.roles.some((r) => serviceRoles.has(r));
    return then(verdict(userToken, allowExpired), (v) => {
      const user = usable(v, allowExpired);
      // Access rules are checked against the middleware's `service_type`, which Nova leaves unset: then
      // keystonemiddleware refuses every access-rule-restricted token ("Cannot validate request with restricted access rules").
      if (user === null || user.accessRestricted) return unauthenticated;
      return credentialsOf(user, service);
    });
  };

  const resolve = (headers: RequestHeaders): CredentialOutcome | Promise<CredentialOutcome> => {
    const { user: userToken, service: serviceToken } = requestTokens(headers);
    if (serviceToken === null) return userToken === null ? unauthenticated : judgeUser(userToken, null);
    return then(verdict(serviceToken, false), (v) => {
      const service = usable(v, false);
      // An invalid service token fails the request even with a valid user token (X-Service-Identity-Status: Invalid).
      if (service === null || userToken === null) return unauthenticated;
      if (options.serviceTokenRolesRequired === true && !service.roles.some((r) => serviceRoles.has(r))) return unauthenticated;
      return judgeUser(userToken, service);
    });
  };

  const unavailable = (e: unknown): AuthRejection => {
    options.onError?.(e instanceof Error ? e : new Error(String(e)));
    return UNAVAILABLE;
  };

  const resolver: CredentialSource = (headers) => {
    try {
      const outcome = resolve(headers);
      return outcome instanceof Promise ? outcome.catch(unavailable) : outcome;
    } catch (e) {
      return unavailable(e);
    }
  };

  return {
    resolver,
    stats: {
      get keystoneValidations() { return cache.stats.keystoneValidations; },
      get memoryHits() { return cache.stats.memoryHits; },
      get sharedHits() { return cache.stats.sharedHits; },
      get coalesced() { return cache.stats.coalesced; },
      get serviceAuthentications() { return serviceAuth.authentications; },
    },
    clearCache: () => cache.clear(),
    close: async () => {
      await http.close();
      await options.sharedCache?.close();
    },
  };
};
