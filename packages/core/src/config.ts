import type { ApiVersion } from './microversion/version.js';

/** The two default rule sets (see docs/policy.md); they differ in data, never in code paths. */
export type Profile = 'spec' | 'nova';

export interface ApiConfig {
  readonly profile: Profile;
  /** Highest microversion served; Nova Zed's 2.93 by default. */
  readonly maxVersion: ApiVersion;
  /** `[DEFAULT] service_down_time`: seconds since the last heartbeat before a service counts as down. */
  readonly serviceDownTime: number;
  /** `[api] max_limit`. */
  readonly maxLimit: number;
  /** `[api] compute_link_prefix`: replaces scheme://host in links when set. */
  readonly linkPrefix: string | null;
  /** Time limit for one host's uptime answer, so a slow host cannot stall a list. */
  readonly uptimeTimeoutMs: number;
  /** Project-scoped grants also see hosts in no tenant-restricted aggregate. */
  readonly showUnrestrictedHosts: boolean;
  /** `[DEFAULT] instance_name_template`, applied to `instances.id` for `servers[].name`. */
  readonly instanceNameTemplate: string;
  /** `[oslo_middleware] max_request_body_size`: a larger body to the API gets 413. */
  readonly maxBodySize: number;
}

export const DEFAULT_CONFIG: ApiConfig = {
  profile: 'spec',
  maxVersion: { major: 2, minor: 93 },
  serviceDownTime: 60,
  maxLimit: 1000,
  linkPrefix: null,
  uptimeTimeoutMs: 5000,
  showUnrestrictedHosts: false,
  instanceNameTemplate: 'instance-%08x',
  maxBodySize: 114_688,
};
