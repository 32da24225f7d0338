import type { LogSink } from './log-sink.js';
import { redactSecrets } from './redact.js';

export interface DependencyStatusOptions {
  /** Outages and recoveries are logged here (warn / info), once per change, not once per failed call. */
  readonly logger?: LogSink;
  /** Told of every change (e.g. the `os_hypervisors_dependency_up` gauge). */
  readonly onChange?: (dependency: string, up: boolean) => void;
  /** Wall clock in ms, for how long an outage lasted. */
  readonly now?: () => number;
}

/**
 * Whether each dependency (storage, Keystone, a cache) answered last time: fed by instrumented calls
 * and readiness probes, it logs an outage when one stops answering and a recovery when it is back.
 */
export class DependencyStatus {
  private readonly downSince = new Map<string, number>();
  private readonly known = new Set<string>();

  constructor(private readonly options: DependencyStatusOptions = {}) {}

  report(dependency: string, up: boolean, reason?: string): void {
    const now = this.options.now ?? Date.now;
    const wasDown = this.downSince.has(dependency);
    const first = !this.known.has(dependency);
    this.known.add(dependency);
    if (up && (wasDown || first)) {
      const since = this.downSince.get(dependency);
      this.downSince.delete(dependency);
      if (since !== undefined) this.options.logger?.info({ dependency, down_ms: now() - since }, 'dependency recovered');
      this.options.onChange?.(dependency, true);
    } else if (!up && !wasDown) {
      this.downSince.set(dependency, now());
      this.options.logger?.warn({ dependency, reason: reason === undefined ? undefined : redactSecrets(reason) }, 'dependency outage');
      this.options.onChange?.(dependency, false);
    }
  }

  /** Undefined until the dependency was first heard of. */
  isUp(dependency: string): boolean | undefined {
    return this.known.has(dependency) ? !this.downSince.has(dependency) : undefined;
  }
}
