import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_DENIED, EXIT_ERROR, EXIT_OK, runPolicyCli } from '../src/policy-cli/main.js';

/** Runs the CLI in-process over an in-memory file system. */
const run = (argv: string[], files: Record<string, string> = {}) => {
  let stdout = '';
  let stderr = '';
  const code = runPolicyCli(argv, {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    readFile: (path) => {
      if (!(path in files)) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return files[path]!;
    },
  });
  return { code, stdout, stderr };
};

describe('os-hypervisors-policy audit', () => {
  it('table by default, spec profile', () => {
    const { code, stdout, stderr } = run(['audit']);
    expect(code).toBe(EXIT_OK);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^profile: spec\n\nRULE +SYSTEM-READER +SYSTEM-ADMIN +PROJECT-ADMIN/);
    expect(stdout).toMatch(/\nlist +system \[1\] +system \[1\] +project \[2\] +deny/);
  });
  it('--format json is the stable matrix; --profile nova', () => {
    const { code, stdout } = run(['audit', '--profile', 'nova', '--format', 'json']);
    expect(code).toBe(EXIT_OK);
    const matrix = JSON.parse(stdout);
    expect(matrix.profile).toBe('nova');
    expect(matrix.rules[0].decisions['project-admin']).toEqual({ allowed: true, branch: 'role:admin', branchNumber: 1, grant: 'system' });
    expect(run(['audit', '--profile', 'nova', '--format', 'json']).stdout).toBe(stdout);
  });
  it('--format csv', () => {
    expect(run(['audit', '--format', 'csv']).stdout.split('\r\n')[0]).toBe('rule,credential,allowed,grant,branch');
  });
  it('--policy FILE: YAML, or JSON by extension; warnings on stderr', () => {
    const yaml = run(['audit', '--policy', 'policy.yaml', '--format', 'csv'], { 'policy.yaml': '"os_compute_api:os-hypervisors:list": "role:ops or rule:nope"\n' });
    expect(yaml.code).toBe(EXIT_OK);
    expect(yaml.stderr).toBe('warning: rule "os_compute_api:os-hypervisors:list": rule:nope refers to no rule, so it is always false\n');
    const json = run(['audit', '--policy', 'p.JSON', '--format', 'json'], { 'p.JSON': JSON.stringify({ 'os_compute_api:os-hypervisors:list': 'role:ops' }) });
    expect(JSON.parse(json.stdout).rules[0]).toMatchObject({ check: 'role:ops', source: 'override' });
  });
  it('a policy that does not load: every problem, exit 2', () => {
    const { code, stdout, stderr } = run(['audit', '--policy', 'bad.yaml'], { 'bad.yaml': '"os_compute_api:os-hypervisors:list": "role:a)"\nfoo: "@"\n' });
    expect(code).toBe(EXIT_ERROR);
    expect(stdout).toBe('');
    expect(stderr).toBe([
      'os-hypervisors-policy: the policy does not load (2 problems):',
      '  rule "os_compute_api:os-hypervisors:list": unexpected token ")" at column 7',
      '  rule "foo": not a rule of this API (hypervisor, aggregate or base rule); see docs/policy.md for the list',
      '',
    ].join('\n'));
  });
  it('a missing file', () => {
    const { code, stderr } = run(['audit', '--policy', 'nope.yaml']);
    expect(code).toBe(EXIT_ERROR);
    expect(stderr).toBe("os-hypervisors-policy: cannot read nope.yaml: ENOENT: no such file or directory, open 'nope.yaml'\n");
  });
});

describe('os-hypervisors-policy check', () => {
  it('a project admin may list, through the project branch', () => {
    const { code, stdout } = run(['check', '--roles', 'admin', '--project', 'P', '--rule', 'list']);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toBe('ALLOWED os_compute_api:os-hypervisors:list (project grant: only hosts in aggregates whose filter_tenant_id* metadata lists P)\n  via branch [2]: role:admin and project_id:%(project_id)s\n');
  });
  it('denied: exit 1', () => {
    const { code, stdout } = run(['check', '--roles', 'admin', '--project', 'P', '--rule', 'os_compute_api:os-hypervisors:show']);
    expect(code).toBe(EXIT_DENIED);
    expect(stdout).toBe('DENIED os_compute_api:os-hypervisors:show\n');
  });
  it('system scope, several roles, --is-admin, JSON output', () => {
    const reader = run(['check', '--roles', 'observer,reader', '--system-scope', 'all', '--rule', 'show', '--format', 'json']);
    expect(JSON.parse(reader.stdout)).toEqual({ rule: 'os_compute_api:os-hypervisors:show', allowed: true, grant: { kind: 'system' }, branch: 'role:reader and system_scope:all' });
    expect(run(['check', '--roles', 'observer', '--roles', 'reader', '--system-scope', 'all', '--rule', 'show']).code).toBe(EXIT_OK);
    expect(run(['check', '--profile', 'nova', '--is-admin', 'true', '--project', 'P', '--rule', 'list']).code).toBe(EXIT_OK);
    expect(run(['check', '--profile', 'nova', '--roles', 'admin', '--is-admin', 'false', '--project', 'P', '--rule', 'list']).code).toBe(EXIT_OK);
    expect(run(['check', '--profile', 'nova', '--project', 'P', '--rule', 'list']).code).toBe(EXIT_DENIED);
  });
  it('usage errors: exit 2 with a message', () => {
    expect(run(['check', '--roles', 'admin'])).toMatchObject({ code: EXIT_ERROR, stderr: expect.stringMatching(/^os-hypervisors-policy: check needs --rule\n\nUsage:/) });
    expect(run(['check', '--rule', 'lst'])).toMatchObject({ code: EXIT_ERROR, stderr: expect.stringMatching(/^os-hypervisors-policy: unknown rule "lst"; rules: os_compute_api:os-hypervisors:list, /) });
    expect(run(['audit', '--profile', 'zed'])).toMatchObject({ code: EXIT_ERROR, stderr: expect.stringMatching(/^os-hypervisors-policy: --profile must be one of spec, nova, not "zed"/) });
    expect(run(['audit', '--format', 'xml'])).toMatchObject({ code: EXIT_ERROR });
    expect(run(['audit', '--bogus'])).toMatchObject({ code: EXIT_ERROR, stderr: expect.stringMatching(/^os-hypervisors-policy: Unknown option '--bogus'/) });
    expect(run(['frobnicate'])).toMatchObject({ code: EXIT_ERROR, stderr: expect.stringMatching(/^os-hypervisors-policy: unknown command "frobnicate"/) });
    expect(run([])).toMatchObject({ code: EXIT_ERROR, stdout: expect.stringMatching(/^Usage:/) });
    expect(run(['--help'])).toMatchObject({ code: EXIT_OK, stdout: expect.stringMatching(/^Usage:/) });
    expect(run(['check', '--help'])).toMatchObject({ code: EXIT_OK });
  });
});

describe('the built bin', () => {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const bin = fileURLToPath(new URL('../dist/policy-cli.js', import.meta.url));
  beforeAll(() => {
    // `pnpm test` builds first; a bare vitest run builds the server package (incremental) when needed.
    if (!existsSync(bin)) execFileSync('npx', ['tsc', '-b', 'packages/server'], { cwd: root, stdio: 'ignore' });
  }, 120_000);

  it('runs with plain node: check exits 1 when denied, audit prints JSON', () => {
    const denied = spawnSync(process.execPath, [bin, 'check', '--roles', 'member', '--project', 'P', '--rule', 'list'], { encoding: 'utf8' });
    expect(denied.status).toBe(EXIT_DENIED);
    expect(denied.stdout).toBe('DENIED os_compute_api:os-hypervisors:list\n');
    const audit = spawnSync(process.execPath, [bin, 'audit', '--format', 'json'], { encoding: 'utf8' });
    expect(audit.status).toBe(EXIT_OK);
    expect(JSON.parse(audit.stdout).profile).toBe('spec');
  });
});
