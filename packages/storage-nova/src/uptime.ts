import type { UptimeProvider } from '@os-hypervisors/core';

/**
 * Uptime as Nova master gets it: the `uptime` the node reported in `compute_nodes.stats` (NovaStorage
 * puts it in the row's `service.uptime`) first; otherwise `fallback` (e.g. a provider that asks the host);
 * otherwise what Nova answers when the host cannot say (NotImplementedError: 501, null in 2.88 detail).
 */
export const statsFirstUptime = (fallback?: UptimeProvider): UptimeProvider => ({
  uptime: async (target, signal) => {
    const fromStats = target.service?.uptime;
    if (fromStats != null) return { kind: 'uptime', uptime: fromStats };
    return fallback === undefined ? { kind: 'not_implemented' } : fallback.uptime(target, signal);
  },
});
