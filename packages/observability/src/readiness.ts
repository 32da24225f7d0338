import { ALL_VISIBLE, type HypervisorStorage } from '@os-hypervisors/core';
import type { DependencyStatus } from './dependency-status.js';
import { redactSecrets } from './redact.js';

/**
 * One thing readiness depends on: the database, Keystone, a cache a deployment cannot run without.
 * `check` resolves null when it is usable, or why not; a rejection or the time limit also means not.
 */
export interface ReadinessProbe {
  readonly name: string;
  check(signal: AbortSignal): Promise<string | null>;
}

/** The storage port answers a one-row page (any backend: SQL, Nova's databases, memory). */
export const storageProbe = (storage: HypervisorStorage, name = 'storage'): ReadinessProbe => ({
  name,
  check: async () => {
    const answer = await storage.listNodes({ visibility: ALL_VISIBLE, limit: 1 })();
    return answer._tag === 'Right' ? null : `${answer.left.kind}: ${answer.left.message}`;
  },
});

export interface ProbeResult {
  readonly name: string;
  readonly ok: boolean;
  /** Why not (secrets removed). */
  readonly reason?: string;
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: ReadonlyArray<ProbeResult>;
}

export interface HealthOptions {
  /** Longest a probe may take (default 2000 ms): then it counts as down. */
  readonly timeoutMs?: number;
  /** Told of each probe's result (outage / recovery logging, the `dependency_up` gauge). */
  readonly status?: DependencyStatus;
}

const withTimeout = async (probe: ReadinessProbe, timeoutMs: number): Promise<ProbeResult> => {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(`no answer within ${timeoutMs} ms`);
    }, timeoutMs);
  });
  try {
    const reason = await Promise.race([probe.check(controller.signal), timeout]);
    return reason === null ? { name: probe.name, ok: true } : { name: probe.name, ok: false, reason: redactSecrets(reason) };
  } catch (e) {
    return { name: probe.name, ok: false, reason: redactSecrets(e instanceof Error ? e.message : String(e)) };
  } finally {
    clearTimeout(timer);
  }
};

/** Liveness is the process answering at all; readiness is every probe passing, checked concurrently. */
export class Health {
  private readonly probes: ReadinessProbe[];

  constructor(probes: ReadonlyArray<ReadinessProbe> = [], private readonly options: HealthOptions = {}) {
    this.probes = [...probes];
  }

  /** Adds a probe (a Keystone or cache package adds its own this way). */
  add(probe: ReadinessProbe): void {
    this.probes.push(probe);
  }

  async readiness(): Promise<Readiness> {
    const checks = await Promise.all(this.probes.map((p) => withTimeout(p, this.options.timeoutMs ?? 2000)));
    for (const c of checks) this.options.status?.report(c.name, c.ok, c.reason);
    return { ready: checks.every((c) => c.ok), checks };
  }
}
