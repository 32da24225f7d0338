import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { left, right } from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { ALL_VISIBLE, type HypervisorStorage, type StorageFault } from '@os-hypervisors/core';
import { MemoryStorage } from '@os-hypervisors/storage-memory';
import {
  DependencyStatus, instrumentPort, instrumentStorage, Metrics, SPAN_KIND_CLIENT, SPAN_STATUS_ERROR, type LogSink,
} from '../src/index.js';
import { FIXTURE } from '../../server/test/http-suite/fixture.js';

/** The value of one sample in the registry (`x_count` / `x_sum` for a histogram's), 0 while the series does not exist. */
const sample = async (metrics: Metrics, name: string, labels: Record<string, string>): Promise<number> => {
  const base = name.replace(/_(count|sum)$/, '');
  const metric = metrics.registry.getSingleMetric(base);
  if (metric === undefined) throw new Error(`no metric ${base}`);
  const { values } = await metric.get();
  const found = values.find((v) => ((v as { metricName?: string }).metricName ?? base) === name
    && Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
  return found?.value ?? 0;
};

const recordingLog = () => {
  const lines: Array<{ level: string; fields: object; message: string }> = [];
  const sink: LogSink = {
    info: (fields, message) => lines.push({ level: 'info', fields, message }),
    warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
    error: (fields, message) => lines.push({ level: 'error', fields, message }),
  };
  return { lines, sink };
};

/** A storage whose database can be switched off: every call then answers `unavailable`, as storage-sql does. */
const switchable = (inner: HypervisorStorage) => {
  let down = false;
  const fault: StorageFault = { kind: 'unavailable', message: 'connect ECONNREFUSED postgres://nova:hunter2@10.0.0.5:5432/nova' };
  const storage = new Proxy(inner, {
    get: (target, property) => {
      const value = Reflect.get(target, property) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (down ? (async () => left(fault)) : (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
  return { storage, setDown: (d: boolean) => { down = d; } };
};

describe('instrumentPort', () => {
  it('counts and times a TaskEither call when it runs, not when it is built', async () => {
    const metrics = new Metrics({ processMetrics: false });
    const storage = instrumentStorage(new MemoryStorage(FIXTURE), { metrics });
    const task = storage.listNodes({ visibility: ALL_VISIBLE });
    expect(await sample(metrics, 'os_hypervisors_dependency_calls_total', { dependency: 'storage', operation: 'listNodes', outcome: 'ok' })).toBe(0);
    const answer = await task();
    expect(answer._tag).toBe('Right');
    await task();
    expect(await sample(metrics, 'os_hypervisors_dependency_calls_total', { dependency: 'storage', operation: 'listNodes', outcome: 'ok' })).toBe(2);
    expect(await sample(metrics, 'os_hypervisors_dependency_duration_seconds_count', { dependency: 'storage', operation: 'listNodes' })).toBe(2);
  });

  it('labels a Left with its fault kind and logs one outage and one recovery, secrets removed', async () => {
    const metrics = new Metrics({ processMetrics: false });
    const { lines, sink } = recordingLog();
    const status = new DependencyStatus({ logger: sink, onChange: (d, up) => metrics.dependencyUp.set({ dependency: d }, up ? 1 : 0) });
    const { storage: raw, setDown } = switchable(new MemoryStorage(FIXTURE));
    const storage = instrumentStorage(raw, { metrics, status });
    await storage.statistics(ALL_VISIBLE)();
    setDown(true);
    for (let i = 0; i < 3; i += 1) expect((await storage.statistics(ALL_VISIBLE)())._tag).toBe('Left');
    expect(await sample(metrics, 'os_hypervisors_dependency_calls_total', { dependency: 'storage', operation: 'statistics', outcome: 'unavailable' })).toBe(3);
    expect(await sample(metrics, 'os_hypervisors_dependency_up', { dependency: 'storage' })).toBe(0);
    setDown(false);
    await storage.statistics(ALL_VISIBLE)();
    expect(await sample(metrics, 'os_hypervisors_dependency_up', { dependency: 'storage' })).toBe(1);
    expect(lines.map((l) => `${l.level} ${l.message}`)).toEqual(['warn dependency outage', 'info dependency recovered']);
    expect(JSON.stringify(lines)).not.toContain('hunter2');
    expect(JSON.stringify(lines)).toContain('ECONNREFUSED');
  });

  it('passes properties and methods it does not wrap straight through', async () => {
    const port = { calls: 0, ping() { this.calls += 1; return 'pong'; }, lookup: async (key: string) => (key === 'a' ? 1 : null) };
    const metrics = new Metrics({ processMetrics: false });
    const wrapped = instrumentPort(port, { dependency: 'cache', methods: ['lookup'], cacheHit: (_op, r) => r !== null }, { metrics });
    expect(wrapped.ping()).toBe('pong');
    expect(port.calls).toBe(1);
    expect(await sample(metrics, 'os_hypervisors_dependency_calls_total', { dependency: 'cache', operation: 'ping', outcome: 'ok' })).toBe(0);
    await wrapped.lookup('a');
    await wrapped.lookup('b');
    await wrapped.lookup('b');
    expect(await sample(metrics, 'os_hypervisors_cache_lookups_total', { dependency: 'cache', operation: 'lookup', result: 'hit' })).toBe(1);
    expect(await sample(metrics, 'os_hypervisors_cache_lookups_total', { dependency: 'cache', operation: 'lookup', result: 'miss' })).toBe(2);
  });

  it('counts a throw or a rejection as an error, and rethrows it unchanged', async () => {
    const metrics = new Metrics({ processMetrics: false });
    const boom = new TypeError('no');
    const port = { sync: (): number => { throw boom; }, async: async (): Promise<number> => { throw boom; }, task: (): TaskEither<StorageFault, number> => async () => right(1) };
    const wrapped = instrumentPort(port, { dependency: 'keystone' }, { metrics });
    expect(() => wrapped.sync()).toThrow(boom);
    await expect(wrapped.async()).rejects.toBe(boom);
    expect(await sample(metrics, 'os_hypervisors_dependency_calls_total', { dependency: 'keystone', operation: 'sync', outcome: 'error' })).toBe(1);
    expect(await sample(metrics, 'os_hypervisors_dependency_calls_total', { dependency: 'keystone', operation: 'async', outcome: 'error' })).toBe(1);
  });

  it('spells the OpenTelemetry enum values it uses as the API does', () => {
    expect(SPAN_KIND_CLIENT).toBe(SpanKind.CLIENT);
    expect(SPAN_STATUS_ERROR).toBe(SpanStatusCode.ERROR);
  });
});
