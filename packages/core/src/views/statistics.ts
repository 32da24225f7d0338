import type { PyJson } from '../json/py-json.js';
import { type HypervisorStatistics, STATISTICS_KEYS } from '../model/records.js';

/** `{"hypervisor_statistics": {...}}` in Nova's key order. */
export const buildStatistics = (stats: HypervisorStatistics): PyJson => ({
  hypervisor_statistics: Object.fromEntries(STATISTICS_KEYS.map((k) => [k, stats[k]])),
});
