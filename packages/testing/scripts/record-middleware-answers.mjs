// Records what the real keystonemiddleware auth_token answers in each scenario of issue #8 and prints
// it as Markdown (docs/keystone-middleware-answers.md is this script's output):
//   npx -y pnpm@10.34.9 --filter @os-hypervisors/testing build && node packages/testing/scripts/record-middleware-answers.mjs > docs/keystone-middleware-answers.md
import { readFileSync } from 'node:fs';
import { authScenarios, runAuthScenarios, startAuthTokenReference, startFaultProxy, startKeystone, startNovaApi } from '../dist/index.js';

const ks = await startKeystone();
const proxy = await startFaultProxy(ks.url);
let reference;
let nova;
try {
  // The middleware reaches Keystone only through the proxy: as auth_url, and as the catalog's identity endpoint.
  await ks.registerEndpoint('identity', 'keystone', `${proxy.url}/v3`);
  // http_connect_timeout bounds each Keystone request (keystonemiddleware's default, none, waits for ever
  // on a Keystone that accepts and never answers: measured, no answer within 20 s).
  const options = { http_connect_timeout: '2' };
  reference = await startAuthTokenReference({ keystone: ks, authUrl: proxy.url, wwwAuthenticateUri: 'http://keystone.example:5000', options });
  const referenceOptions = reference.options;
  const ksmVersion = reference.keystonemiddlewareVersion;
  const results = await runAuthScenarios(ks, proxy, `${reference.url}/v2.1/os-hypervisors`, authScenarios(ks));
  await reference.stop();
  reference = undefined;
  // The same through Nova Zed's own keystone pipeline (compute_req_id, faultwrap, … authtoken keystonecontext).
  const dataset = JSON.parse(readFileSync(new URL('../../server/data/sample-dataset.json', import.meta.url), 'utf8'));
  nova = await startNovaApi({ keystone: ks, dataset, now: new Date('2025-01-01T00:00:00Z'), authUrl: proxy.url, wwwAuthenticateUri: 'http://keystone.example:5000', options });
  const novaResults = await runAuthScenarios(ks, proxy, `${nova.computeUrl}/os-hypervisors`, authScenarios(ks));
  const novaVersion = nova.novaVersion;

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
  out.push(`Recorded from Debian's python3-keystonemiddleware ${ksmVersion} (auth_token in front of a`);
  out.push(`trivial app, \`packages/testing/python/auth_token_reference.py\`) against a real Keystone ${ks.keystoneVersion}`);
  out.push('(`startKeystone()`), through a fault proxy (`startFaultProxy`) for the Keystone failures, by');
  out.push('`packages/testing/scripts/record-middleware-answers.mjs` (regenerate with it; the live comparison uses the same');
  out.push('scenarios, `authScenarios()` / `runAuthScenarios()`).');
  out.push('');
  out.push('Configuration, as Nova\'s `[keystone_authtoken]`:');
  out.push('');
  out.push('```ini');
  for (const [k, v] of Object.entries(referenceOptions)) out.push(`${k} = ${k === 'password' ? '…' : readable(v.replace(proxy.url, 'http://KEYSTONE'))}`);
  out.push('```');
  out.push('');
  out.push('The app behind the middleware answers 200 with the `X-*` / `OpenStack-*` request headers it received and');
  out.push("oslo.context's `RequestContext.from_environ(environ).to_policy_values()` (what Nova's policy checks see).");
  out.push('The `Date` and `Server` headers are the test WSGI server\'s (wsgiref), not the middleware\'s. Ids are shown by');
  out.push('fixture name, tokens as `<token>`; the `X-Service-Catalog` header (the token\'s catalog, JSON) is abridged.');
  out.push('A `null` header is one the middleware set to `None` in the WSGI environ: the app sees the key, with no value');
  out.push('(webob\'s way of clearing it); a header absent from the list did not reach the app at all.');
  out.push('');
  const by = (list, name) => list.find((r) => r.scenario.name === name).answer;
  const hang = by(results, 'keystone-hangs');
  const novaHang = by(novaResults, 'keystone-hangs');
  out.push('Findings for a server that must answer as Nova does:');
  out.push('');
  out.push(`- Missing, garbage, expired, revoked token, or a bad or role-less service token: ${by(results, 'no-token').status} with the same JSON body and \`WWW-Authenticate: Keystone uri="<www_authenticate_uri>"\`.`);
  out.push(`- Keystone refusing connections or answering 5xx: ${by(results, 'keystone-down').status}; the body is webob's: HTML by default, JSON \`{"message", "code": "503 Service Unavailable", "title"}\` with \`Accept: application/json\`. No WWW-Authenticate.`);
  out.push(`- Keystone accepting connections and never answering: with \`http_connect_timeout\` set, keystoneauth's ConnectTimeout escapes auth_token (10.1.0 catches ConnectFailure and RequestTimeout; ConnectTimeout is neither): the bare middleware answers ${hang.status} (the WSGI server's error page) and Nova ${novaHang.status} (FaultWrapper's computeFault); without it (the default) the request waits for ever. Issue #8 asks for 503 here, a deliberate difference from Nova.`);
  out.push('- Identity headers sent by the caller (X-Roles, X-Identity-Status, …) are removed first, then set from the token.');
  out.push('- Roles arrive as Keystone lists them, implied ones included, in Keystone\'s order (not sorted).');
  out.push('- `X-Is-Admin-Project` is `True` for system-scoped and unscoped tokens too (the token has no `is_admin_project`, and the middleware\'s default is True).');
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
  out.push('');
  out.push(`# The same requests to Nova ${novaVersion} itself`);
  out.push('');
  out.push("Nova Zed's own API with its `keystone` paste pipeline (`cors http_proxy_to_wsgi compute_req_id faultwrap");
  out.push('request_log sizelimit osprofiler authtoken keystonecontext`, `startNovaApi`), the same auth_token options,');
  out.push('`GET /v2.1/os-hypervisors` at the default microversion over the demo dataset. What Nova adds to the');
  out.push("middleware's answers: `x-compute-request-id` and `x-openstack-request-id` (compute_req_id sits outside");
  out.push('authtoken, so even a 401 or 503 carries them), and its policy decides what a valid token may do.');
  out.push('');
  out.push('| scenario | middleware alone | Nova | Nova\'s headers (besides date, server) | Nova\'s body (non-200) |');
  out.push('|---|---|---|---|---|');
  novaResults.forEach(({ scenario, answer }, i) => {
    const hs = answer.headers.filter(([k]) => k !== 'date' && k !== 'server').map(([k, v]) => `${k}: ${/request-id/.test(k) ? 'req-…' : readable(v)}`).join('<br>');
    const body = answer.status === 200 ? '(hypervisor list)' : '`' + readable(answer.body).replace(/\|/g, '\\|').replace(/\n/g, ' ') + '`';
    out.push(`| ${scenario.name} | ${results[i].answer.status} | ${answer.status} | ${hs} | ${body} |`);
  });
  console.log(out.join('\n'));
} finally {
  await nova?.stop();
  await reference?.stop();
  await proxy.close();
  await ks.dispose();
}
