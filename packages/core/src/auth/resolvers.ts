import type { CredentialResolver } from '../credentials.js';
import { headerValue } from '../microversion/headers.js';
import { IDENTITY_STATUS_HEADER, keystoneHeadersResolver } from './keystone-headers.js';
import { noauth2Resolver } from './noauth2.js';

export interface CredentialResolverOptions {
  /**
   * The gateway in front sets Keystone's auth headers and removes clients' own. Off by default: then those
   * headers are ignored entirely and only noauth2 tokens authenticate.
   */
  readonly trustKeystoneHeaders: boolean;
}

/**
 * Once a trusted gateway has given its verdict on the token (`X-Identity-Status` present, e.g. `Invalid`
 * with `delay_auth_decision`), that token must not be read again as a noauth2 `user:project`: a client
 * could otherwise send `X-Auth-Token: admin` through the gateway and become admin.
 */
const unlessGatewayJudged = (resolve: CredentialResolver): CredentialResolver => (headers) =>
  headerValue(headers, IDENTITY_STATUS_HEADER) === undefined ? resolve(headers) : null;

/** The handler's resolver chain, tried in order: Keystone's headers first when trusted, then noauth2. */
export const credentialResolvers = (options: CredentialResolverOptions): ReadonlyArray<CredentialResolver> =>
  options.trustKeystoneHeaders ? [keystoneHeadersResolver, unlessGatewayJudged(noauth2Resolver)] : [noauth2Resolver];
