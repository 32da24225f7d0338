import type { ApiVersion } from '@os-hypervisors/core';

/**
 * Microversions grouped where this API's answers change shape (paging at 2.33, UUID ids at 2.53, the
 * modernised view at 2.88), so a metric label has five values, not ninety.
 */
export type MicroversionBucket = 'none' | '<2.33' | '2.33-2.52' | '2.53-2.87' | '>=2.88';

export const microversionBucket = (version: ApiVersion | null): MicroversionBucket => {
  if (version === null) return 'none';
  if (version.major !== 2) return version.major < 2 ? '<2.33' : '>=2.88';
  if (version.minor < 33) return '<2.33';
  if (version.minor < 53) return '2.33-2.52';
  if (version.minor < 88) return '2.53-2.87';
  return '>=2.88';
};

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Any other method a client invents is `OTHER`: a label value must come from a closed set. */
export const methodLabel = (method: string): string => (METHODS.has(method) ? method : 'OTHER');

export const formatMicroversion = (version: ApiVersion | null): string | null =>
  version === null ? null : `${version.major}.${version.minor}`;
