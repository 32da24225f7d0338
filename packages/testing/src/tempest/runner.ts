import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON } from '../python.js';
import { pythonScript } from '../process.js';
import type { IdentityName } from '../keystone/fixtures.js';
import type { KeystoneHandle, KeystoneIdentity } from '../keystone/launcher.js';

/** tempest's own os-hypervisors tests: 9 + 11 = 20 tests. */
export const TEMPEST_HYPERVISOR_TESTS = [
  'tempest.api.compute.admin.test_hypervisor',
  'tempest.api.compute.admin.test_hypervisor_negative',
] as const;

export interface TempestOptions {
  keystone: KeystoneHandle;
  /** The compute API's versioned endpoint (e.g. `http://127.0.0.1:PORT/v2.1`), put in the catalog. */
  computeUrl: string;
  /** `[compute] min_microversion` / `max_microversion` (tempest skips classes outside them). */
  microversions: { min: string; max: string };
  /** Test modules, classes or ids (default: the hypervisor tests). */
  tests?: readonly string[];
  /** The accounts tempest uses: `admin` (role admin) and `primary` (a non-admin). */
  admin?: IdentityName;
  primary?: IdentityName;
  /** Extra tempest.conf text, appended. */
  extraConfig?: string;
  timeoutMs?: number;
  /** Keep the directory (tempest.conf, accounts.yaml, tempest.log) after the run. */
  keepDir?: boolean;
}

export interface TempestTest {
  readonly id: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly detail: string;
}

export interface TempestResult {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly tests: readonly TempestTest[];
  /** unittest's verbose report (stderr). */
  readonly output: string;
  readonly dir: string;
}

const yamlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

function account(identity: KeystoneIdentity, extra: string): string {
  return [
    `- username: ${yamlString(identity.name)}`,
    `  password: ${yamlString(identity.password)}`,
    `  project_name: ${yamlString(identity.projectName ?? '')}`,
    `  user_domain_name: Default`,
    `  project_domain_name: Default`,
    extra,
  ].join('\n');
}

/** tempest.conf: identity v3 only, pre-provisioned accounts (no dynamic credentials), compute only. */
function tempestConf(dir: string, opts: TempestOptions, admin: KeystoneIdentity): string {
  const ks = opts.keystone;
  return `[DEFAULT]
log_file = ${join(dir, 'tempest.log')}
use_stderr = false

[oslo_concurrency]
lock_path = ${join(dir, 'locks')}

[auth]
# Fixed accounts from accounts.yaml: no project or user is created, so only the identity calls that
# authenticate are needed.
use_dynamic_credentials = false
test_accounts_file = ${join(dir, 'accounts.yaml')}
default_credentials_domain_name = Default
admin_username = ${admin.name}
admin_password = ${admin.password}
admin_project_name = ${admin.projectName ?? 'admin'}
admin_domain_name = Default
create_isolated_networks = false

[identity]
uri_v3 = ${ks.url}/v3
auth_version = v3
region = ${ks.region}
v3_endpoint_type = public
admin_role = admin

[identity-feature-enabled]
api_v2 = false
api_v3 = true

[compute]
catalog_type = compute
endpoint_type = publicURL
region = ${ks.region}
min_microversion = ${opts.microversions.min}
max_microversion = ${opts.microversions.max}

[service_available]
nova = true
# tempest 33's compute admin base class builds an image client (BaseV2ComputeAdminTest.setup_clients):
# without glance it fails before any test. No image call is made by the hypervisor tests.
glance = true
neutron = false
cinder = false
swift = false
placement = false

[image-feature-enabled]
api_v2 = true
api_v1 = false

[validation]
run_validation = false
${opts.extraConfig ?? ''}
`;
}

/**
 * Runs tempest (Debian's python3-tempest) against `computeUrl`, registered as the compute endpoint in
 * `keystone`'s catalog, with the fixture accounts. Resolves with the counts (never rejects for failed
 * tests; rejects if tempest could not run at all).
 */
export async function runTempest(opts: TempestOptions): Promise<TempestResult> {
  const ks = opts.keystone;
  const admin = ks.identities[opts.admin ?? 'admin'];
  const primary = ks.identities[opts.primary ?? 'alphaMember'];
  await ks.registerEndpoint('compute', 'nova', opts.computeUrl);

  const dir = mkdtempSync(join(tmpdir(), 'osh-tempest-'));
  mkdirSync(join(dir, 'locks'));
  writeFileSync(join(dir, 'tempest.conf'), tempestConf(dir, opts, admin));
  writeFileSync(
    join(dir, 'accounts.yaml'),
    [account(admin, '  roles:\n    - admin'), account(primary, '  roles:\n    - member')].join('\n') + '\n',
  );

  try {
    const child = spawn(PYTHON, [pythonScript('tempest_run.py'), ...(opts.tests ?? TEMPEST_HYPERVISOR_TESTS)], {
      cwd: dir,
      env: { ...process.env, TEMPEST_CONFIG_DIR: dir, TEMPEST_CONFIG: 'tempest.conf' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    const last = stdout.trim().split('\n').pop() ?? '';
    let summary: { passed: number; failed: number; skipped: number; tests: TempestTest[] };
    try {
      summary = JSON.parse(last);
    } catch {
      throw new Error(`tempest did not run (exit ${code}):\n${stderr.split('\n').slice(-40).join('\n')}`);
    }
    return { ...summary, output: stderr, dir };
  } finally {
    if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
  }
}
