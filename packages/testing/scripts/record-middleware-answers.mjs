// Records what the real keystonemiddleware auth_token answers in each scenario of issue #8 and prints
// it as Markdown (docs/keystone-middleware-answers.md is this script's output):
//   npx -y pnpm@10.34.9 --filter @os-hypervisors/testing build && node packages/testing/scripts/record-middleware-answers.mjs > docs/keystone-middleware-answers.md
import { authScenarios, runAuthScenarios, startAuthTokenReference, startFaultProxy, startKeystone } from '../dist/index.js';

const ks = await startKeystone();
const proxy = await startFaultProxy(ks.url);
let reference;
try {
  // The middleware reaches Keystone only through the proxy: as auth_url, and as the catalog's identity endpoint.
  await ks.registerEndpoint('identity', 'keystone', `${proxy.url}/v3`);
  reference = await startAuthTokenReference({ keystone: ks, authUrl: proxy.url, wwwAuthenticateUri: 'http://keystone.example:5000' });
  const results = await runAuthScenarios(ks, proxy, `${reference.url}/v2.1/os-hypervisors`, authScenarios(ks));

  // Readable ids: each fixture id by name; tokens as <token>.
  const names = new Map();
  for (const [k, i] of Object.entries(ks.identities)) names.set(i.userId, `<${k}.userId>`);
  for (const [k, id] of Object.entries(ks.projects)) names.set(id, `<project ${k}>`);
  for (const [k, id] of Object.entries(ks.roles)) names.set(id, `<role ${k}>`);
  names.set(ks.appCredential.id, '<appCredential.id>');
  const readable = (s) => {
    let out = s.replace(/gAAAAA[A-Za-z0-9_\-=]+/g, '<token>');
    for (const [id, name] of names) out = out.split(id).join(name);
    return out;
  };

  const out = [];
  out.push('# What the real keystonemiddleware auth_token answers');
  out.push('');
  out.push(`Recorded from Debian's python3-keystonemiddleware ${reference.keystonemiddlewareVersion} (auth_token in front of a`);
  out.push(`trivial app, \`packages/testing/python/auth_token_reference.py\`) against a real Keystone ${ks.keystoneVersion}`);
  out.push('(`startKeystone()`), through a fault proxy (`startFaultProxy`) for the Keystone failures, by');
  out.push('`packages/testing/scripts/record-middleware-answers.mjs` (regenerate with it; the live comparison uses the same');
  out.push('scenarios, `authScenarios()` / `runAuthScenarios()`).');
  out.push('');
  out.push('Configuration, as Nova\'s `[keystone_authtoken]`:');
  out.push('');
  out.push('```ini');
  for (const [k, v] of Object.entries(reference.options)) out.push(`${k} = ${k === 'password' ? '…' : readable(v.replace(proxy.url, 'http://KEYSTONE'))}`);
  out.push('```');
  out.push('');
  out.push('The app behind the middleware answers 200 with the `X-*` / `OpenStack-*` request headers it received and');
  out.push("oslo.context's `RequestContext.from_environ(environ).to_policy_values()` (what Nova's policy checks see).");
  out.push('The `Date` and `Server` headers are the test WSGI server\'s (wsgiref), not the middleware\'s. Ids are shown by');
  out.push('fixture name, tokens as `<token>`; the `X-Service-Catalog` header (the token\'s catalog, JSON) is abridged.');
  out.push('A `null` header is one the middleware set to `None` in the WSGI environ: the app sees the key, with no value');
  out.push('(webob\'s way of clearing it); a header absent from the list did not reach the app at all.');
  out.push('');
  out.push('| scenario | status | WWW-Authenticate |');
  out.push('|---|---|---|');
  for (const { scenario, answer } of results) {
    const www = answer.headers.find(([k]) => k === 'www-authenticate')?.[1] ?? '';
    out.push(`| [${scenario.name}](#${scenario.name}) | ${answer.status} | ${www ? '`' + www + '`' : '—'} |`);
  }
  for (const { scenario, request, answer } of results) {
    out.push('');
    out.push(`## ${scenario.name}`);
    out.push('');
    out.push(`${scenario.description}${scenario.fault ? ` (Keystone: ${typeof scenario.fault === 'string' ? scenario.fault : 'answers ' + scenario.fault.status})` : ''}.`);
    out.push('');
    out.push('Request: `GET /v2.1/os-hypervisors`' + (Object.keys(request).length ? ' with ' + Object.entries(request).map(([k, v]) => `\`${k}: ${readable(v)}\``).join(', ') : '') + '.');
    out.push('');
    out.push('```http');
    out.push(`HTTP/1.1 ${answer.status}`);
    for (const [k, v] of answer.headers) out.push(`${k}: ${k === 'date' ? '…' : readable(v)}`);
    out.push('');
    let body = answer.body;
    if (answer.status === 200) {
      const doc = JSON.parse(body);
      if (doc.headers['X-Service-Catalog']) doc.headers['X-Service-Catalog'] = `<catalog JSON, ${doc.headers['X-Service-Catalog'].length} bytes>`;
      body = JSON.stringify(doc, null, 2);
    }
    out.push(readable(body));
    out.push('```');
  }
  console.log(out.join('\n'));
} finally {
  await reference?.stop();
  await proxy.close();
  await ks.dispose();
}
