"""Build a Keystone (Debian python3-keystone) database with the test fixture identities.

Run as /usr/bin/python3 keystone_setup.py --config-file keystone.conf --db-file keystone.db < spec.json
(or with --rewrite-url OLD NEW to point a copy's catalog at its port: sqlite3 only, no Keystone import).
It does in one process what `keystone-manage db_sync` and `keystone-manage bootstrap` do (the same
Keystone code paths: keystone.common.sql.upgrades and keystone.cmd.bootstrap.Bootstrapper), then creates
the fixture projects, users, role assignments and application credentials through Keystone's own
managers, as keystone-manage does, because Keystone's REST API ignores an explicit project `id` and the
tests want fixed project ids. Last it switches the SQLite file to WAL journal mode: Keystone served by
several processes otherwise fails with "database is locked".

stdin: {"admin_password", "region", "identity_url", "projects": [{"id", "name"}] (with "admin"),
        "users": [{"name", "password", "project"?, "roles": [...], "system_roles": [...]}],
        "app_credentials": [{"user", "name", "secret", "project", "roles"}]}
stdout: one JSON line {"roles": {name: id}, "users": {name: id}, "projects": {name: id},
        "app_credentials": {name: id}, "keystone": version}
"""

import argparse
import json
import sqlite3
import sys
import uuid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--config-file')
    parser.add_argument('--db-file', required=True)
    parser.add_argument('--rewrite-url', nargs=2, metavar=('OLD', 'NEW'),
                        help='only replace catalog endpoint URL OLD with NEW (a copy of a built database)')
    args = parser.parse_args()
    if args.rewrite_url:
        db = sqlite3.connect(args.db_file)
        with db:
            db.execute('UPDATE endpoint SET url = ? WHERE url = ?', tuple(reversed(args.rewrite_url)))
        db.close()
        return
    spec = json.load(sys.stdin)

    import pbr.version
    import keystone.conf
    from keystone.common import sql
    from keystone.common.sql import upgrades
    from keystone.common import provider_api
    from keystone.cmd import bootstrap

    conf = keystone.conf.CONF
    keystone.conf.configure()
    sql.initialize()
    keystone.conf.set_default_for_default_log_levels()
    version = pbr.version.VersionInfo('keystone').version_string()
    conf(args=[], project='keystone', version=version, default_config_files=[args.config_file])
    keystone.conf.setup_logging()

    # keystone-manage db_sync
    upgrades.offline_sync_database_to_version()

    # The projects first, with their fixed ids: bootstrap then finds its project `admin` and keeps it.
    boot = bootstrap.Bootstrapper()
    providers = provider_api.ProviderAPIs
    boot._bootstrap_default_domain()
    domain_id = boot.default_domain_id
    projects = {}
    for project in spec['projects']:
        providers.resource_api.create_project(project['id'], {
            'id': project['id'], 'name': project['name'], 'domain_id': domain_id,
            'enabled': True, 'is_domain': False, 'parent_id': domain_id,
            'description': 'os-hypervisors test fixture'})
        projects[project['name']] = project['id']

    # keystone-manage bootstrap --bootstrap-password … --bootstrap-region-id … --bootstrap-*-url …
    boot.admin_password = spec['admin_password']
    boot.admin_username = 'admin'
    boot.project_name = 'admin'
    boot.admin_role_name = 'admin'
    boot.service_name = 'keystone'
    boot.region_id = spec['region']
    boot.public_url = spec['identity_url']
    boot.internal_url = spec['identity_url']
    boot.admin_url = spec['identity_url']
    boot.immutable_roles = True
    boot.bootstrap()

    roles = {'reader': boot.reader_role_id, 'member': boot.member_role_id, 'admin': boot.admin_role_id}
    users = {'admin': boot.admin_user_id}
    assert projects['admin'] == boot.project_id

    def role_id(name):
        if name not in roles:
            rid = uuid.uuid4().hex
            providers.role_api.create_role(rid, {'id': rid, 'name': name})
            roles[name] = rid
        return roles[name]

    for user in spec['users']:
        ref = providers.identity_api.create_user({
            'name': user['name'], 'domain_id': domain_id, 'enabled': True,
            'password': user['password']})
        users[user['name']] = ref['id']
        for role in user.get('roles', []):
            providers.assignment_api.create_grant(
                role_id(role), user_id=ref['id'], project_id=projects[user['project']])
        for role in user.get('system_roles', []):
            providers.assignment_api.create_system_grant_for_user(ref['id'], role_id(role))

    app_credentials = {}
    for cred in spec.get('app_credentials', []):
        cid = uuid.uuid4().hex
        providers.application_credential_api.create_application_credential({
            'id': cid, 'name': cred['name'], 'secret': cred['secret'],
            'user_id': users[cred['user']], 'project_id': projects[cred['project']],
            'roles': [{'id': role_id(r)} for r in cred['roles']],
            'unrestricted': False, 'expires_at': None, 'description': 'os-hypervisors test fixture'})
        app_credentials[cred['name']] = cid

    sql.cleanup()
    db = sqlite3.connect(args.db_file)
    db.execute('PRAGMA journal_mode=WAL')
    db.close()
    print(json.dumps({'keystone': version, 'roles': roles, 'projects': projects, 'users': users,
                      'app_credentials': app_credentials}), flush=True)


if __name__ == '__main__':
    main()
