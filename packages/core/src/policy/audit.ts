import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { Profile } from '../config.js';
import type { Credentials } from '../credentials.js';
import type { GrantKind } from './compile/branches.js';
import { HYPERVISOR_RULE_PREFIX } from './decision.js';
import type { Policy, PolicyDecision } from './policy.js';
import { API_RULE_NAMES } from './profiles.js';
import type { RuleSource } from './rule-set.js';

/** The project the audit's project-scoped callers belong to. */
export const AUDIT_PROJECT = 'audit-project';

export const AUDIT_CREDENTIAL_KINDS = [
  'system-reader', 'system-admin', 'project-admin', 'project-member', 'project-reader', 'anonymous', 'is-admin',
] as const;
export type AuditCredentialKind = (typeof AUDIT_CREDENTIAL_KINDS)[number];

const caller = (roles: string[], scope: 'system' | 'project', isAdmin?: true): Credentials => ({
  userId: 'audit-user',
  projectId: scope === 'project' ? AUDIT_PROJECT : null,
  roles,
  systemScope: scope === 'system' ? 'all' : null,
  ...(isAdmin === undefined ? {} : { isAdmin }),
  domainId: null,
});

/**
 * The callers of the matrix, as Keystone would present them (roles as assigned; the policy adds implied
 * ones; `is_admin` as Nova computes it, by the policy's own `context_is_admin`). `anonymous` is a user of
 * a project with no role; `is-admin` has Nova's `is_admin` flag set and no role (noauth2's admin).
 */
export const AUDIT_CREDENTIALS: Readonly<Record<AuditCredentialKind, Credentials>> = {
  'system-reader': caller(['reader'], 'system'),
  'system-admin': caller(['admin'], 'system'),
  'project-admin': caller(['admin'], 'project'),
  'project-member': caller(['member'], 'project'),
  'project-reader': caller(['reader'], 'project'),
  anonymous: caller([], 'project'),
  'is-admin': caller([], 'project', true),
};

export interface AuditCell {
  readonly allowed: boolean;
  /** `system`: sees every hypervisor; `project`: only its project's aggregates' hosts; null when denied. */
  readonly grant: GrantKind | null;
  /** The check string of the branch that granted (null when denied). */
  readonly branch: string | null;
  /** Its 1-based number in the rule's branch list (the table's `[n]`). */
  readonly branchNumber: number | null;
}

export interface AuditRow {
  readonly rule: string;
  /** The check string in effect and where it comes from. */
  readonly check: string;
  readonly source: RuleSource;
  /** Every branch of the rule, in the order casbin tries them. */
  readonly branches: ReadonlyArray<{ readonly check: string; readonly grant: GrantKind }>;
  readonly decisions: Readonly<Record<AuditCredentialKind, AuditCell>>;
}

export interface AuditMatrix {
  readonly profile: Profile;
  readonly credentials: Readonly<Record<AuditCredentialKind, Credentials>>;
  readonly rules: ReadonlyArray<AuditRow>;
}

const cell = (decision: PolicyDecision): AuditCell =>
  decision.allowed
    ? { allowed: true, grant: decision.grant.kind, branch: decision.branch.check, branchNumber: decision.branch.index + 1 }
    : { allowed: false, grant: null, branch: null, branchNumber: null };

/**
 * The decision matrix rule × caller kind, with the granting branch. By default the rules this API
 * checks (hypervisor rules, then aggregate rules); any rule of the policy may be listed.
 */
export const auditPolicy = (policy: Policy, rules: ReadonlyArray<string> = API_RULE_NAMES): AuditMatrix => ({
  profile: policy.profile,
  credentials: AUDIT_CREDENTIALS,
  rules: rules.flatMap((name) => {
    const rule = policy.rule(name);
    if (rule === undefined) return [];
    const decisions = Object.fromEntries(AUDIT_CREDENTIAL_KINDS.map((kind) => [kind, cell(policy.decide(name, AUDIT_CREDENTIALS[kind]))]));
    return [{
      rule: name,
      check: rule.text,
      source: rule.source,
      branches: rule.branches.map((b) => ({ check: b.check, grant: b.grant })),
      decisions: decisions as Record<AuditCredentialKind, AuditCell>,
    }];
  }),
});

/** `list` → `os_compute_api:os-hypervisors:list`, `os-aggregates:index` → `os_compute_api:os-aggregates:index`. */
export const resolveRuleName = (policy: Policy, name: string): Either<string, string> => {
  for (const candidate of [name, `${HYPERVISOR_RULE_PREFIX}${name}`, `os_compute_api:${name}`]) {
    if (policy.rule(candidate) !== undefined) return right(candidate);
  }
  return left(`unknown rule "${name}"; rules: ${policy.rules().map((r) => r.name).join(', ')}`);
};

export interface CheckQuestion {
  readonly rule: string;
  readonly roles?: ReadonlyArray<string>;
  readonly project?: string | null;
  readonly systemScope?: string | null;
  /** Default: as Nova computes it, by the policy's `context_is_admin` rule. */
  readonly isAdmin?: boolean;
  readonly userId?: string | null;
}

export interface CheckAnswer {
  readonly rule: string;
  readonly credentials: Credentials;
  readonly decision: PolicyDecision;
}

/** One question: may this caller pass this rule (short or full name), and through which branch? */
export const checkPolicy = (policy: Policy, question: CheckQuestion): Either<string, CheckAnswer> => {
  const rule = resolveRuleName(policy, question.rule);
  if (isLeft(rule)) return rule;
  const roles = [...(question.roles ?? [])];
  const credentials: Credentials = {
    userId: question.userId ?? 'check-user',
    projectId: question.project ?? null,
    roles,
    systemScope: question.systemScope ?? null,
    ...(question.isAdmin === undefined ? {} : { isAdmin: question.isAdmin }),
    domainId: null,
  };
  return right({ rule: rule.right, credentials, decision: policy.decide(rule.right, credentials) });
};

// ---- renderers -------------------------------------------------------------------------------------

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
};

/** JSON with sorted keys, two-space indent and a final newline: byte-stable for snapshots. */
export const renderAuditJson = (matrix: AuditMatrix): string => `${JSON.stringify(sortKeys(matrix), null, 2)}\n`;

const shortRule = (rule: string): string => (rule.startsWith(HYPERVISOR_RULE_PREFIX) ? rule.slice(HYPERVISOR_RULE_PREFIX.length) : rule.replace(/^os_compute_api:/u, ''));

const cellText = (c: AuditCell): string => (c.allowed ? `${c.grant} [${c.branchNumber}]` : 'deny');

const table = (rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
};

/**
 * A matrix for people: one row per rule, one column per caller; a cell is `deny` or the grant with the
 * number of the branch that granted it, listed below the matrix.
 */
export const renderAuditTable = (matrix: AuditMatrix): string => {
  const header = ['RULE', ...AUDIT_CREDENTIAL_KINDS.map((k) => k.toUpperCase())];
  const rows = matrix.rules.map((r) => [shortRule(r.rule), ...AUDIT_CREDENTIAL_KINDS.map((k) => cellText(r.decisions[k]))]);
  const branches = matrix.rules.flatMap((r) => [
    `${shortRule(r.rule)} = ${r.check}  (${r.source})`,
    ...(r.branches.length === 0 ? ['  (no branch: nobody passes)'] : r.branches.map((b, i) => `  [${i + 1}] ${b.grant}: ${b.check}`)),
  ]);
  return `profile: ${matrix.profile}\n\n${table([header, ...rows])}\n\nbranches:\n${branches.join('\n')}\n`;
};

const csvField = (value: string): string => (/[",\r\n]/u.test(value) ? `"${value.replace(/"/gu, '""')}"` : value);

/** One line per rule × caller (RFC 4180): rule,credential,allowed,grant,branch. */
export const renderAuditCsv = (matrix: AuditMatrix): string => {
  const lines = [['rule', 'credential', 'allowed', 'grant', 'branch']];
  for (const r of matrix.rules) {
    for (const kind of AUDIT_CREDENTIAL_KINDS) {
      const c = r.decisions[kind];
      lines.push([r.rule, kind, String(c.allowed), c.grant ?? '', c.branch ?? '']);
    }
  }
  return `${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
};

/** The answer to one `check` question, in one or two lines. */
export const renderCheckAnswer = (answer: CheckAnswer): string => {
  const { decision, rule, credentials } = answer;
  if (!decision.allowed) return `DENIED ${rule}\n`;
  const scope = decision.grant.kind === 'system'
    ? 'system grant: every hypervisor'
    : `project grant: only hosts in aggregates whose filter_tenant_id* metadata lists ${credentials.projectId}`;
  return `ALLOWED ${rule} (${scope})\n  via branch [${decision.branch.index + 1}]: ${decision.branch.check}\n`;
};
