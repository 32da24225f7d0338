import type { FaultMode, FaultProxy } from './fault-proxy.js';
import type { KeystoneHandle } from './launcher.js';

/** One HTTP answer, as recorded: status, headers (lower-case names, in order), body text. */
export interface AuthAnswer {
  readonly status: number;
  readonly headers: readonly [string, string][];
  readonly body: string;
}

/**
 * A request whose authentication outcome is compared: the headers to send (tokens issued fresh for each
 * run, so no validation cache on either side has seen them) and the state of the Keystone path.
 */
export interface AuthScenario {
  readonly name: string;
  readonly description: string;
  /** The fault proxy's mode while the request is made (default `pass`). */
  readonly fault?: FaultMode;
  headers(): Promise<Record<string, string>>;
}

/** The scenarios of issue #8, for the real keystonemiddleware and for ours alike. */
export function authScenarios(ks: KeystoneHandle): AuthScenario[] {
  const token = (h: Record<string, () => Promise<string>>) => async () =>
    Object.fromEntries(await Promise.all(Object.entries(h).map(async ([k, f]) => [k, await f()] as const)));
  return [
    { name: 'no-token', description: 'no X-Auth-Token at all', headers: async () => ({}) },
    { name: 'garbage-token', description: 'X-Auth-Token: garbage', headers: async () => ({ 'X-Auth-Token': 'garbage' }) },
    {
      name: 'expired-token',
      description: "an alpha admin's project token whose lifetime ran out",
      headers: token({ 'X-Auth-Token': () => ks.expiredToken('alphaAdmin') }),
    },
    {
      name: 'revoked-token',
      description: "an alpha admin's project token revoked with DELETE /v3/auth/tokens before first use",
      headers: token({
        'X-Auth-Token': async () => {
          const t = await ks.issueToken('alphaAdmin');
          await ks.revokeToken(t);
          return t;
        },
      }),
    },
    {
      name: 'project-admin',
      description: 'project alpha, role admin (implies member, reader)',
      headers: token({ 'X-Auth-Token': () => ks.issueToken('alphaAdmin') }),
    },
    {
      name: 'project-member',
      description: 'project alpha, role member (implies reader)',
      headers: token({ 'X-Auth-Token': () => ks.issueToken('alphaMember') }),
    },
    {
      name: 'admin-project',
      description: "bootstrap admin's token for project admin ([resource] admin_project_name = admin)",
      headers: token({ 'X-Auth-Token': () => ks.issueToken('admin') }),
    },
    {
      name: 'system-reader',
      description: 'system-scoped (all) token, role reader',
      headers: token({ 'X-Auth-Token': () => ks.issueToken('systemReader', 'system') }),
    },
    {
      name: 'system-admin',
      description: 'system-scoped (all) token, role admin',
      headers: token({ 'X-Auth-Token': () => ks.issueToken('systemAdmin', 'system') }),
    },
    {
      name: 'unscoped',
      description: 'unscoped token (no project, no system, no roles)',
      headers: token({ 'X-Auth-Token': () => ks.issueToken('alphaMember', 'unscoped') }),
    },
    {
      name: 'app-credential',
      description: "the service user's application credential token",
      headers: token({ 'X-Auth-Token': () => ks.issueAppCredentialToken() }),
    },
    {
      name: 'spoofed-headers',
      description: 'a member token with X-Roles: admin, X-Identity-Status: Confirmed, X-Is-Admin-Project: True set by the caller',
      headers: async () => ({
        'X-Auth-Token': await ks.issueToken('alphaMember'),
        'X-Roles': 'admin',
        'X-Identity-Status': 'Confirmed',
        'X-Is-Admin-Project': 'True',
        'X-Service-Roles': 'service',
      }),
    },
    {
      name: 'service-token',
      description: "a member's token with the service user's token in X-Service-Token",
      headers: token({ 'X-Auth-Token': () => ks.issueToken('alphaMember'), 'X-Service-Token': () => ks.issueToken('service') }),
    },
    {
      name: 'service-token-without-service-role',
      description: "a member's token with another member's token in X-Service-Token (service_token_roles_required)",
      headers: token({ 'X-Auth-Token': () => ks.issueToken('alphaMember'), 'X-Service-Token': () => ks.issueToken('betaMember') }),
    },
    {
      name: 'garbage-service-token',
      description: "a member's token with X-Service-Token: garbage",
      headers: async () => ({ 'X-Auth-Token': await ks.issueToken('alphaMember'), 'X-Service-Token': 'garbage' }),
    },
    {
      name: 'keystone-down',
      description: 'a fresh valid token while Keystone refuses connections',
      fault: 'down',
      headers: token({ 'X-Auth-Token': () => ks.issueToken('alphaAdmin') }),
    },
    {
      name: 'keystone-500',
      description: 'a fresh valid token while Keystone answers 500',
      fault: { status: 500, body: '{"error": {"code": 500, "message": "boom", "title": "Internal Server Error"}}', contentType: 'application/json' },
      headers: token({ 'X-Auth-Token': () => ks.issueToken('alphaAdmin') }),
    },
    {
      name: 'keystone-down-accept-json',
      description: 'as keystone-down, the client asking for JSON (Accept: application/json, as OpenStack clients do)',
      fault: 'down',
      headers: async () => ({ 'X-Auth-Token': await ks.issueToken('alphaAdmin'), Accept: 'application/json' }),
    },
    {
      name: 'keystone-500-accept-json',
      description: 'as keystone-500, with Accept: application/json',
      fault: { status: 500, body: '{"error": {"code": 500, "message": "boom", "title": "Internal Server Error"}}', contentType: 'application/json' },
      headers: async () => ({ 'X-Auth-Token': await ks.issueToken('alphaAdmin'), Accept: 'application/json' }),
    },
    {
      name: 'no-token-accept-json',
      description: 'no X-Auth-Token, with Accept: application/json',
      headers: async () => ({ Accept: 'application/json' }),
    },
    {
      name: 'keystone-hangs',
      description: 'a fresh valid token while Keystone accepts connections and never answers (needs http_connect_timeout set: by default the middleware waits for ever)',
      fault: 'hang',
      headers: async () => ({ 'X-Auth-Token': await ks.issueToken('alphaAdmin'), Accept: 'application/json' }),
    },
    {
      name: 'keystone-503',
      description: 'a fresh valid token while Keystone answers 503',
      fault: { status: 503, body: 'Service Unavailable' },
      headers: token({ 'X-Auth-Token': () => ks.issueToken('alphaAdmin') }),
    },
  ];
}

/** GET `url` with `headers`; the answer as recorded (rejects when none comes within `timeoutMs`). */
export async function askAuth(url: string, headers: Record<string, string>, timeoutMs = 30_000): Promise<AuthAnswer> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, headers: [...res.headers.entries()], body: await res.text() };
}

/**
 * Runs every scenario against `url` (the service behind the auth layer under test), switching `proxy`
 * (the Keystone path of that auth layer) as each scenario asks, and back to `pass` after. A request
 * that gets no answer (within `askAuth`'s 30 s, or the connection dropped) is recorded as status 0 with
 * the error as its body: keystonemiddleware's default configuration never answers `keystone-hangs`.
 */
export async function runAuthScenarios(
  ks: KeystoneHandle,
  proxy: FaultProxy,
  url: string,
  scenarios: readonly AuthScenario[] = authScenarios(ks),
): Promise<{ scenario: AuthScenario; request: Record<string, string>; answer: AuthAnswer }[]> {
  const results = [];
  for (const scenario of scenarios) {
    const request = await scenario.headers();
    await proxy.setMode(scenario.fault ?? 'pass');
    try {
      const answer = await askAuth(url, request).catch(
        (e: unknown): AuthAnswer => ({ status: 0, headers: [], body: `no answer: ${e instanceof Error ? e.message : String(e)}` }),
      );
      results.push({ scenario, request, answer });
    } finally {
      await proxy.setMode('pass');
    }
  }
  return results;
}
