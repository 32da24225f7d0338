import type { InjectionToken } from 'tsyringe';
import type { NodeWithService } from './model/records.js';

/**
 * What a compute host says about its uptime (Nova: the `get_host_uptime` RPC).
 * `not_implemented` -> 501 on the uptime route, null in 2.88 detail/show (driver cannot tell).
 */
export type UptimeAnswer =
  | { readonly kind: 'uptime'; readonly uptime: string }
  | { readonly kind: 'not_implemented' };

/** The port: ask one host. A rejection or a timeout is an unexpected error (Nova: 500 computeFault). */
export interface UptimeProvider {
  uptime(target: NodeWithService, signal: AbortSignal): Promise<UptimeAnswer>;
}

export const UPTIME_PROVIDER: InjectionToken<UptimeProvider> = Symbol.for('os-hypervisors:UptimeProvider');

/** Default provider: the dataset's own `services.uptime` / `uptime_not_implemented` fields. */
export const datasetUptimeProvider: UptimeProvider = {
  uptime: async ({ service }) =>
    service?.uptime_not_implemented === true || service?.uptime == null
      ? { kind: 'not_implemented' }
      : { kind: 'uptime', uptime: service.uptime },
};
