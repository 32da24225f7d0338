// `pnpm bench`, Keystone section: what checking real Keystone tokens costs once a token is cached, against
// the same request with a noauth2 token, and how many Keystone validations a burst with one new token
// makes. Needs a real Keystone (Debian's python3-keystone, started by the test harness); skipped without.
import { Bench } from 'tinybench';
import { createHandler, noauth2Resolver } from '@os-hypervisors/core';

const dist = (pkg) => new URL(`../packages/${pkg}/dist/index.js`, import.meta.url).href;

/** Runs the Keystone figures over the bench's own storage and policy; returns table rows, or a reason to skip. */
export const keystoneBench = async ({ storage, authorizer, now, time, showPath }) => {
  let testing;
  let keystone;
  try {
    testing = await import(dist('testing'));
    keystone = await import(dist('keystone'));
  } catch (e) {
    return { skipped: `the keystone or testing package is not built (${e.message})` };
  }
  let ks;
  try {
    ks = await testing.startKeystone();
  } catch (e) {
    return { skipped: `no Keystone could be started here (${String(e.message).split('\n')[0]})` };
  }
  const proxy = await testing.startFaultProxy(ks.url);
  const service = ks.identities.service;
  const auth = keystone.createKeystoneAuth({
    authUrl: `${proxy.url}/v3`,
    serviceCredentials: { kind: 'password', user: { name: service.name, domain: { id: 'default' } }, password: service.password, scope: { project: { id: ks.projects.service } } },
  });
  try {
    const make = (resolver) => createHandler({ storage, authorizer, clock: () => now, credentialResolvers: [resolver], requestId: () => 'req-bench' });
    const viaKeystone = make(auth.resolver);
    const viaNoauth2 = make(noauth2Resolver);
    // The same caller both ways: a system admin (roles admin, member, reader; system scope all).
    const token = await ks.issueToken('systemAdmin', 'system');
    const ask = (handler, authToken, path, query) => handler({ method: 'GET', path, query, headers: { host: 'bench', 'openstack-api-version': 'compute 2.53', 'x-auth-token': authToken } });
    const rows = [];
    for (const [label, path, query] of [['show 2.53', showPath, ''], ['list 2.53 page of 50', '/v2.1/os-hypervisors', 'limit=50']]) {
      const [k, n] = [await ask(viaKeystone, token, path, query), await ask(viaNoauth2, 'admin', path, query)];
      if (k.status !== 200 || n.status !== 200 || k.body !== n.body) throw new Error(`${label}: the two callers answer differently (${k.status}, ${n.status})`);
      // Five short rounds, each timing both, the median of their ratios (of medians): a shared machine's
      // noise moves both sides of a round alike.
      const rounds = [];
      for (let i = 0; i < 5; i++) {
        const bench = new Bench({ time: time / 5, warmup: true });
        bench.add('keystone', () => ask(viaKeystone, token, path, query)).add('noauth2', () => ask(viaNoauth2, 'admin', path, query));
        await bench.run();
        const [ks50, n50] = bench.tasks.map((t) => t.result.latency?.p50 ?? t.result.p50);
        rounds.push({ ratio: ks50 / n50, s: ks50, b: n50 });
      }
      rounds.sort((x, y) => x.ratio - y.ratio);
      const { s, b } = rounds[2];
      rows.push({ scenario: `keystone token (cached): ${label}`, baseline: 'the same request with a noauth2 token', ratio: +rounds[2].ratio.toFixed(3), subject_ms: +s.toFixed(4), baseline_ms: +b.toFixed(4) });
    }
    // 100 concurrent requests carrying one token nobody has seen: Keystone validations counted at the proxy.
    const fresh = await ks.issueToken('alphaAdmin');
    const before = proxy.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v3/auth/tokens')).length;
    const answers = await Promise.all(Array.from({ length: 100 }, () => ask(viaKeystone, fresh, '/v2.1/os-hypervisors', 'limit=50')));
    const calls = proxy.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v3/auth/tokens')).length - before;
    const statuses = [...new Set(answers.map((a) => a.status))].join(',');
    return { rows, burst: `100 concurrent requests with one new token: ${calls} Keystone validation(s) (answers: ${statuses})` };
  } finally {
    await auth.close();
    await proxy.close();
    await ks.dispose();
  }
};
