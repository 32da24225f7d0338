import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  auditPolicy, checkPolicy, createPolicy, renderAuditCsv, renderAuditJson, renderAuditTable, renderCheckAnswer,
  type Policy, type Profile,
} from '@os-hypervisors/core';

/** What the CLI touches outside itself, injected so tests can run it in-process. */
export interface PolicyCliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => string;
}

/** 0: done / allowed; 1: `check` denied; 2: usage error or a policy that does not load. */
export const EXIT_OK = 0;
export const EXIT_DENIED = 1;
export const EXIT_ERROR = 2;

export const USAGE = `Usage:
  os-hypervisors-policy audit [--policy FILE] [--profile spec|nova] [--format table|json|csv]
  os-hypervisors-policy check --rule RULE [--roles R1,R2] [--project P] [--system-scope all]
                              [--is-admin true|false] [--policy FILE] [--profile spec|nova] [--format text|json]

  audit   the decision matrix: each rule of the API x caller kind (system reader, system admin,
          project admin, project member, project reader, anonymous, is_admin), with the granting branch.
          --format json is stable (sorted keys): snapshot it in your own tests.
  check   may this caller pass RULE (short name such as "list", or the full name)?
          Exit 0 when allowed, 1 when denied. --is-admin defaults to "holds the admin role".

  --policy FILE   an oslo.policy file (YAML, or JSON when FILE ends in .json) merged over the profile
  --profile       default spec
`;

const COMMON = {
  policy: { type: 'string' },
  profile: { type: 'string', default: 'spec' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const CHECK = {
  ...COMMON,
  rule: { type: 'string' },
  roles: { type: 'string', multiple: true },
  project: { type: 'string' },
  'system-scope': { type: 'string' },
  'is-admin': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

class UsageError extends Error {}

const oneOf = <T extends string>(name: string, value: string, allowed: ReadonlyArray<T>): T => {
  if (!(allowed as ReadonlyArray<string>).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not "${value}"`);
  return value as T;
};

/** Builds the policy, reporting every load problem on stderr; null when it does not load. */
const loadPolicy = (profile: Profile, file: string | undefined, io: PolicyCliIo): Policy | null => {
  let overrides;
  if (file !== undefined) {
    let text: string;
    try {
      text = io.readFile(file);
    } catch (e) {
      io.stderr(`os-hypervisors-policy: cannot read ${file}: ${(e as Error).message}\n`);
      return null;
    }
    overrides = { text, format: file.toLowerCase().endsWith('.json') ? 'json' as const : 'yaml' as const, source: file };
  }
  const policy = createPolicy({ profile, overrides });
  if (isLeft(policy)) {
    io.stderr(`os-hypervisors-policy: the policy does not load (${policy.left.length} problem${policy.left.length === 1 ? '' : 's'}):\n`);
    for (const e of policy.left) io.stderr(`  ${e.message}\n`);
    return null;
  }
  for (const w of policy.right.warnings) io.stderr(`warning: ${w.message}\n`);
  return policy.right;
};

const audit = (args: ReadonlyArray<string>, io: PolicyCliIo): number => {
  const { values } = parseArgs({ args: [...args], options: COMMON, strict: true, allowPositionals: false });
  if (values.help) return (io.stdout(USAGE), EXIT_OK);
  const format = oneOf('format', values.format ?? 'table', ['table', 'json', 'csv'] as const);
  const policy = loadPolicy(oneOf('profile', values.profile, ['spec', 'nova'] as const), values.policy, io);
  if (policy === null) return EXIT_ERROR;
  const matrix = auditPolicy(policy);
  io.stdout(format === 'json' ? renderAuditJson(matrix) : format === 'csv' ? renderAuditCsv(matrix) : renderAuditTable(matrix));
  return EXIT_OK;
};

const check = (args: ReadonlyArray<string>, io: PolicyCliIo): number => {
  const { values } = parseArgs({ args: [...args], options: CHECK, strict: true, allowPositionals: false });
  if (values.help) return (io.stdout(USAGE), EXIT_OK);
  if (values.rule === undefined) throw new UsageError('check needs --rule');
  const format = oneOf('format', values.format ?? 'text', ['text', 'json'] as const);
  const isAdmin = values['is-admin'] === undefined ? undefined : oneOf('is-admin', values['is-admin'].toLowerCase(), ['true', 'false'] as const) === 'true';
  const policy = loadPolicy(oneOf('profile', values.profile, ['spec', 'nova'] as const), values.policy, io);
  if (policy === null) return EXIT_ERROR;
  const answer = checkPolicy(policy, {
    rule: values.rule,
    roles: (values.roles ?? []).flatMap((r) => r.split(',')).map((r) => r.trim()).filter((r) => r !== ''),
    project: values.project ?? null,
    systemScope: values['system-scope'] ?? null,
    ...(isAdmin === undefined ? {} : { isAdmin }),
  });
  if (isLeft(answer)) return (io.stderr(`os-hypervisors-policy: ${answer.left}\n`), EXIT_ERROR);
  const { decision } = answer.right;
  io.stdout(format === 'json'
    ? `${JSON.stringify({ rule: answer.right.rule, allowed: decision.allowed, grant: decision.allowed ? decision.grant : null, branch: decision.allowed ? decision.branch.check : null })}\n`
    : renderCheckAnswer(answer.right));
  return decision.allowed ? EXIT_OK : EXIT_DENIED;
};

/** Runs `os-hypervisors-policy <argv>`; returns the exit code. */
export const runPolicyCli = (argv: ReadonlyArray<string>, io: PolicyCliIo): number => {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'audit': return audit(rest, io);
      case 'check': return check(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? EXIT_ERROR : EXIT_OK;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    // parseArgs reports unknown or malformed options with a TypeError carrying an ERR_PARSE_ARGS_* code.
    const parseError = typeof (e as { code?: unknown }).code === 'string' && (e as { code: string }).code.startsWith('ERR_PARSE_ARGS');
    if (!(e instanceof UsageError) && !parseError) throw e;
    io.stderr(`os-hypervisors-policy: ${(e as Error).message}\n\n${USAGE}`);
    return EXIT_ERROR;
  }
};
