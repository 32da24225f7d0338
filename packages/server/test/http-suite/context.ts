import type { UptimeProvider } from '@os-hypervisors/core';
import { expect } from 'vitest';
import { FIXTURE, NOW } from './fixture.js';
import type { HeaderPairs } from './expected.js';
import type { RunningServer, StartServer, SuiteServerOptions } from './index.js';
import { rawRequest, type RawResponse } from './raw-request.js';

/** A provider that never answers: the handler's own time limit must turn it into a 500 (§6.4). */
const hangingUptime: UptimeProvider = { uptime: () => new Promise(() => {}) };
/** A provider that fails like an RPC error. */
const failingUptime: UptimeProvider = { uptime: async () => { throw new Error('MessagingTimeout'); } };

const base: SuiteServerOptions = { dataset: FIXTURE, profile: 'spec', clock: () => new Date(NOW), trustKeystoneHeaders: true };

/** The servers the suite runs, each a configuration the reference distinguishes. */
const SERVERS = {
  spec: base,
  nova: { ...base, profile: 'nova' },
  /** Configured maximum and service_down_time: `latest` is 2.88, compute3 (61 s old) is up. */
  narrow: { ...base, config: { maxVersion: { major: 2, minor: 88 }, serviceDownTime: 120 } },
  unrestricted: { ...base, config: { showUnrestrictedHosts: true } },
  hanging: { ...base, uptime: hangingUptime, config: { uptimeTimeoutMs: 100 } },
  failing: { ...base, uptime: failingUptime },
} satisfies Record<string, SuiteServerOptions>;

export type SuiteServers = keyof typeof SERVERS;

export interface Call {
  /** `OpenStack-API-Version: compute <v>`; omitted: no version header (2.1). */
  readonly version?: string;
  /** noauth2 token `user:project`; default `admin:admin`; null sends none. */
  readonly token?: string | null;
  /** Extra request headers; an array is sent as repeated header lines. */
  readonly headers?: Readonly<Record<string, string | ReadonlyArray<string>>>;
  readonly method?: string;
  readonly server?: SuiteServers;
}

/** Transport headers the frameworks add; the API's own header list is compared without them. */
const TRANSPORT = new Set(['date', 'connection', 'content-length', 'keep-alive', 'transfer-encoding']);
const REQUEST_IDS = new Set(['x-openstack-request-id', 'x-compute-request-id']);

/** What the adapter's transport can express; the suite's expectations follow it. */
export interface SuiteTransport {
  /**
   * The Fetch API's `Headers` hold one field per name, in name order: a repeated field (Nova's two
   * `Vary`) reaches the wire joined by `, `, which HTTP defines as the same (RFC 9110 §5.3), and the
   * order of fields is lost. Header lists are then compared that way on both sides.
   */
  readonly joinsRepeatedFields?: boolean;
}

/** A response as the suite received it, and whether its transport joins repeated fields. */
export type SuiteResponse = RawResponse & { readonly joinsRepeatedFields?: boolean };

export class SuiteContext {
  private readonly running = new Map<SuiteServers, RunningServer>();

  constructor(private readonly start: StartServer, readonly transport: SuiteTransport = {}) {}

  async startAll(): Promise<void> {
    for (const [name, options] of Object.entries(SERVERS) as Array<[SuiteServers, SuiteServerOptions]>) {
      this.running.set(name, await this.start(options));
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.running.values()].map((s) => s.close()));
    this.running.clear();
  }

  /** `http://127.0.0.1:PORT`, also what Nova's links are built from (the Host header). */
  baseUrl(server: SuiteServers = 'spec'): string {
    const running = this.running.get(server);
    if (running === undefined) throw new Error(`server ${server} not started`);
    return running.baseUrl;
  }

  async call(path: string, call: Call = {}): Promise<SuiteResponse> {
    const headers: Record<string, string | ReadonlyArray<string>> = {};
    if (call.token !== null) headers['X-Auth-Token'] = call.token ?? 'admin:admin';
    if (call.version !== undefined) headers['OpenStack-API-Version'] = `compute ${call.version}`;
    Object.assign(headers, call.headers);
    const res = await rawRequest(this.baseUrl(call.server), path, { method: call.method ?? 'GET', headers });
    return this.transport.joinsRepeatedFields === true ? { ...res, joinsRepeatedFields: true } : res;
  }
}

/** The response's own headers, in order, without transport and request-id headers. */
export const apiHeaders = (res: RawResponse): HeaderPairs =>
  res.headers.filter(([n]) => !TRANSPORT.has(n) && !REQUEST_IDS.has(n));

/** A header list as Fetch `Headers` hold it: repeated fields joined by `, ` (RFC 9110 §5.3), sorted by name. */
export const joinRepeatedFields = (headers: HeaderPairs): HeaderPairs => {
  const joined = new Map<string, string>();
  for (const [n, v] of headers) joined.set(n, joined.has(n) ? `${joined.get(n)!}, ${v}` : v);
  return [...joined].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
};

/** The response's API header list compared, as its transport can express it. */
export const expectApiHeaders = (res: SuiteResponse, headers: HeaderPairs): void => {
  const canonical = res.joinsRepeatedFields === true ? joinRepeatedFields : (h: HeaderPairs) => h;
  expect(canonical(apiHeaders(res))).toEqual(canonical(headers));
};

/** Status, header list and body compared at once, so a failure shows all three. */
export const expectAnswer = (res: SuiteResponse, status: number, headers: HeaderPairs, body: string): void => {
  const canonical = res.joinsRepeatedFields === true ? joinRepeatedFields : (h: HeaderPairs) => h;
  expect({ status: res.status, headers: canonical(apiHeaders(res)), body: res.body }).toEqual({ status, headers: canonical(headers), body });
};
