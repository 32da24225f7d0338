/**
 * The identities every test Keystone holds. Project ids are fixed (alpha is the demo dataset's sample
 * project); user and role ids are Keystone's own, read back after the database is built.
 */
export const PROJECT_IDS = {
  admin: 'adadadadadadadadadadadadadadadad',
  alpha: 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1',
  beta: 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2',
  service: '5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e',
} as const;

export type ProjectName = keyof typeof PROJECT_IDS;

interface UserSpec {
  /** Keystone user name, in the Default domain. */
  readonly name: string;
  readonly password: string;
  /** The project its project-scoped tokens are for, and where `roles` are granted. */
  readonly project?: ProjectName;
  /** Roles granted on `project` (Keystone adds the implied ones to tokens: admin ⇒ member ⇒ reader). */
  readonly roles?: readonly string[];
  /** Roles granted on the system (`all`). */
  readonly systemRoles?: readonly string[];
}

export const USERS = {
  /** `keystone-manage bootstrap`'s user: admin on project admin (the admin project) and on the system. */
  admin: { name: 'admin', password: 'admin-secret', project: 'admin', roles: ['admin'], systemRoles: ['admin'] },
  alphaAdmin: { name: 'alpha-admin', password: 'alpha-admin-secret', project: 'alpha', roles: ['admin'] },
  alphaMember: { name: 'alpha-member', password: 'alpha-member-secret', project: 'alpha', roles: ['member'] },
  betaAdmin: { name: 'beta-admin', password: 'beta-admin-secret', project: 'beta', roles: ['admin'] },
  betaMember: { name: 'beta-member', password: 'beta-member-secret', project: 'beta', roles: ['member'] },
  systemReader: { name: 'system-reader', password: 'system-reader-secret', systemRoles: ['reader'] },
  systemAdmin: { name: 'system-admin', password: 'system-admin-secret', systemRoles: ['admin'] },
  /** The API server's own service user (validates tokens; X-Service-Token), as Nova's `nova` user. */
  service: { name: 'os-hypervisors', password: 'service-secret', project: 'service', roles: ['service'] },
} as const satisfies Record<string, UserSpec>;

export type IdentityName = keyof typeof USERS;

/** An application credential of the service user, restricted to its `service` role. */
export const APP_CREDENTIAL = {
  name: 'os-hypervisors-service',
  secret: 'app-credential-secret',
  user: 'service' as IdentityName,
  project: 'service' as ProjectName,
  roles: ['service'],
} as const;

export const REGION = 'RegionOne';

/** The identity endpoint URL written into the cached database; rewritten to the real one per instance. */
export const IDENTITY_URL_PLACEHOLDER = 'http://keystone.invalid:5000/v3';

/** What python/keystone_setup.py reads on stdin. */
export function setupSpec(): unknown {
  const { admin, ...others } = USERS;
  return {
    admin_password: admin.password,
    region: REGION,
    identity_url: IDENTITY_URL_PLACEHOLDER,
    projects: Object.entries(PROJECT_IDS).map(([name, id]) => ({ name, id })),
    users: Object.values(others).map((u: UserSpec) => ({
      name: u.name,
      password: u.password,
      project: u.project,
      roles: u.roles ?? [],
      system_roles: u.systemRoles ?? [],
    })),
    app_credentials: [
      {
        name: APP_CREDENTIAL.name,
        secret: APP_CREDENTIAL.secret,
        user: USERS[APP_CREDENTIAL.user].name,
        project: APP_CREDENTIAL.project,
        roles: APP_CREDENTIAL.roles,
      },
    ],
  };
}
