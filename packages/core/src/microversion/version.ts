/** A compute API microversion; compared as an integer pair, so 2.10 > 2.9. */
export interface ApiVersion {
  readonly major: number;
  readonly minor: number;
}

export const MIN_VERSION: ApiVersion = { major: 2, minor: 1 };
/** Nova Zed's maximum; os-hypervisors has not changed after 2.88. */
export const ZED_MAX_VERSION: ApiVersion = { major: 2, minor: 93 };

export const compareVersions = (a: ApiVersion, b: ApiVersion): number =>
  a.major !== b.major ? a.major - b.major : a.minor - b.minor;

export const formatVersion = (v: ApiVersion): string => `${v.major}.${v.minor}`;

/** Nova's accepted form (nova/api/openstack/api_version_request.py): no leading zeros, minor may be 0. */
const VERSION_RE = /^([1-9]\d*)\.([1-9]\d*|0)$/;

/** Parses `X.Y`; null when malformed. `latest` is handled by negotiation, not here. */
export const parseVersion = (text: string): ApiVersion | null => {
  const m = VERSION_RE.exec(text);
  if (m === null) return null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  // Huge values lose precision but still compare out of range; messages echo the raw text instead.
  return { major, minor };
};

/** `v` within [min, max], inclusive. */
export const versionIn = (v: ApiVersion, min: ApiVersion, max?: ApiVersion): boolean =>
  compareVersions(v, min) >= 0 && (max === undefined || compareVersions(v, max) <= 0);

/** Shorthand for literals in tables: `mv('2.53')`. Throws on a malformed literal (programmer error). */
export const mv = (text: string): ApiVersion => {
  const v = parseVersion(text);
  if (v === null) throw new Error(`bad microversion literal ${text}`);
  return v;
};
