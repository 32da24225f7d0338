import type { RequestHeaders } from '../credentials.js';

/** Case-insensitive header read; repeated header lines are joined with `,` as WSGI servers do. */
export const headerValue = (headers: RequestHeaders, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  const found: string[] = [];
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== wanted || v === undefined) continue;
    if (typeof v === 'string') found.push(v);
    else found.push(...v);
  }
  return found.length === 0 ? undefined : found.join(',');
};

export const STANDARD_VERSION_HEADER = 'OpenStack-API-Version';
export const LEGACY_VERSION_HEADER = 'X-OpenStack-Nova-API-Version';

/**
 * The requested compute version string, as microversion_parse.get_version reads it: the standard header's
 * right-most `compute <v>` piece wins; else the legacy header's last comma-separated element.
 */
export const requestedVersionText = (headers: RequestHeaders): string | undefined => {
  const standard = headerValue(headers, STANDARD_VERSION_HEADER);
  if (standard !== undefined) {
    const pieces = standard.split(',');
    for (let i = pieces.length - 1; i >= 0; i--) {
      const m = /^(\S+)\s+(.*)$/s.exec(pieces[i]!.trim());
      if (m !== null && m[1]!.toLowerCase() === 'compute') return m[2]!.trim();
    }
  }
  const legacy = headerValue(headers, LEGACY_VERSION_HEADER);
  if (legacy !== undefined) return legacy.split(',').at(-1)!.trim();
  return undefined;
};
