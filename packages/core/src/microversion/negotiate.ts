import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { RequestHeaders } from '../credentials.js';
import { faults, type Fault } from '../faults.js';
import { requestedVersionText } from './headers.js';
import { type ApiVersion, formatVersion, MIN_VERSION, parseVersion, versionIn } from './version.js';

/**
 * A failed negotiation. `echo` is the version the 406 response headers repeat (Nova echoes the rejected
 * version); a malformed version (400) gets no version headers at all.
 */
export interface NegotiationFailure {
  readonly fault: Fault;
  readonly echo: string | null;
}

/** nova/api/openstack/wsgi.py `Request.set_api_version_request`. */
export const negotiateMicroversion = (
  headers: RequestHeaders,
  max: ApiVersion,
): Either<NegotiationFailure, ApiVersion> => {
  const text = requestedVersionText(headers);
  if (text === undefined) return right(MIN_VERSION);
  if (text === 'latest') return right(max);
  const v = parseVersion(text);
  if (v === null) return left({ fault: faults.badVersionFormat(text), echo: null });
  if (!versionIn(v, MIN_VERSION, max)) {
    // The regex admits no leading zeros, so the raw text is already Nova's normalised `major.minor`.
    return left({ fault: faults.versionNotSupported(text, formatVersion(MIN_VERSION), formatVersion(max)), echo: text });
  }
  return right(v);
};

/** Response headers for a negotiated (or echoed) version, in Nova's order: two separate `Vary` fields. */
export const versionHeaders = (version: string): Array<[string, string]> => [
  ['OpenStack-API-Version', `compute ${version}`],
  ['X-OpenStack-Nova-API-Version', version],
  ['Vary', 'OpenStack-API-Version'],
  ['Vary', 'X-OpenStack-Nova-API-Version'],
];
