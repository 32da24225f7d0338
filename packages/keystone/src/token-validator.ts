import { isLeft } from 'fp-ts/lib/Either.js';
import type { HttpClient } from './http.js';
import type { ServiceAuth } from './service-auth.js';
import { TokenBody, type TokenIdentity, tokenIdentity } from './token-body.js';

/** Keystone's word on one token: its identity, or not valid. Keystone being unreachable is thrown. */
export type TokenVerdict = { readonly valid: true; readonly identity: TokenIdentity } | { readonly valid: false };

export const INVALID: TokenVerdict = { valid: false };

/** A failure to ask (network, timeout, 5xx, refused service credentials): the request gets a 503. */
export class KeystoneServiceError extends Error {
  override readonly name = 'KeystoneServiceError';
}

export interface TokenValidator {
  validate(token: string, allowExpired: boolean): Promise<TokenVerdict>;
}

const parseBody = (text: string): TokenIdentity | null => {
  try {
    const decoded = TokenBody.decode(JSON.parse(text));
    return isLeft(decoded) ? null : tokenIdentity(decoded.right);
  } catch {
    return null;
  }
};

/**
 * `GET /v3/auth/tokens` with `X-Subject-Token`, authenticated by the service's own token, as
 * keystonemiddleware's `IdentityServer.verify_token`: 200 is an identity, 404 an invalid token (Keystone's
 * answer to garbage, expired and revoked tokens alike), 401 means the SERVICE token was refused: the
 * service re-authenticates and asks once more, and a second 401 is a service error, as is any other status.
 * `OpenStack-Identity-Access-Rules` tells Keystone we understand application-credential access rules
 * (keystoneclient sends it for keystonemiddleware), so such tokens validate and are then judged here.
 */
export const keystoneTokenValidator = (http: HttpClient, serviceAuth: ServiceAuth): TokenValidator => {
  const ask = async (token: string, allowExpired: boolean, retry: boolean): Promise<TokenVerdict> => {
    const service = await serviceAuth.token();
    const query = allowExpired ? '?nocatalog&allow_expired=1' : '?nocatalog';
    const answer = await http.send('GET', `${service.identityUrl}/auth/tokens${query}`, {
      'X-Auth-Token': service.token,
      'X-Subject-Token': token,
      'OpenStack-Identity-Access-Rules': '1',
      Accept: 'application/json',
    });
    if (answer.status === 200) {
      const identity = parseBody(answer.body);
      // keystonemiddleware: contents it cannot read make the token invalid ("Invalid token contents").
      return identity === null ? INVALID : { valid: true, identity };
    }
    if (answer.status === 404) return INVALID;
    if (answer.status === 401 && retry) {
      serviceAuth.invalidate(service);
      return ask(token, allowExpired, false);
    }
    throw new KeystoneServiceError(`token validation: Keystone answered ${answer.status}`);
  };
  return { validate: (token, allowExpired) => ask(token, allowExpired, true) };
};
