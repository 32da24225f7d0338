import { readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { auditPolicy, renderAuditJson } from '../../src/policy/audit.js';
import { hypervisorRuleName } from '../../src/policy/decision.js';
import { createPolicy } from '../../src/policy/policy.js';

/** docs/policy.md's override example, read from the page itself so the page cannot drift. */
const docs = readFileSync(new URL('../../../../docs/policy.md', import.meta.url), 'utf8');
const example = /```yaml\n([\s\S]*?)```/u.exec(docs)![1]!;

describe('docs/policy.md override example', () => {
  const policy = createPolicy({ profile: 'spec', overrides: { text: example, format: 'yaml', source: 'policy.yaml' } });
  if (isLeft(policy)) throw new Error(policy.left.map((e) => e.message).join('\n'));

  it('loads without warnings and does what its comments say', () => {
    expect(policy.right.warnings).toEqual([]);
    const projectAdmin = { userId: 'u', projectId: 'P', roles: ['admin'], systemScope: null, isAdmin: true };
    for (const rule of ['list-detail', 'show'] as const) {
      expect(policy.right.authorize(hypervisorRuleName(rule), projectAdmin)).toMatchObject({ allowed: true, grant: { kind: 'project', projectId: 'P' } });
    }
    expect(policy.right.authorize(hypervisorRuleName('uptime'), projectAdmin).allowed).toBe(false);
    const auditor = { userId: 'a', projectId: 'ops', roles: ['cloud-auditor'], systemScope: null, isAdmin: false };
    expect(policy.right.authorize(hypervisorRuleName('statistics'), auditor)).toMatchObject({ allowed: true, grant: { kind: 'system' } });
  });

  it('the operator unit test of the page passes against it', () => {
    const matrix = auditPolicy(policy.right);
    expect(matrix.rules[0]!.decisions['project-member'].allowed).toBe(false);
    expect(renderAuditJson(matrix)).toBe(renderAuditJson(auditPolicy(policy.right)));
    expect(docs).toContain("expect(matrix.rules[0]!.decisions['project-member'].allowed).toBe(false);");
  });
});
