import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { authSettingsFromCloud, findCloudsYaml, serviceCredentialsFromEnv } from '../src/index.js';

const OPENRC = {
  OS_AUTH_URL: 'https://keystone.example:5000/v3', OS_USERNAME: 'nova', OS_PASSWORD: 'pw', OS_PROJECT_NAME: 'service',
  OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default', OS_REGION_NAME: 'RegionOne', OS_INTERFACE: 'internal',
};

describe('service credentials as the OpenStack clients read them', () => {
  it('OS_* variables of an openrc file: password auth scoped to the project', () => {
    const s = serviceCredentialsFromEnv({ ...OPENRC, OS_CACERT: '/etc/ssl/ca.pem' });
    expect(isRight(s) && s.right).toEqual({
      authUrl: 'https://keystone.example:5000/v3', regionName: 'RegionOne', interface: 'internal', cacertFile: '/etc/ssl/ca.pem',
      serviceCredentials: { kind: 'password', user: { name: 'nova', domain: { name: 'Default' } }, password: 'pw', scope: { project: { name: 'service', domain: { name: 'Default' } } } },
    });
  });

  it('ids win over names; system scope; application credentials by id or by name', () => {
    const ids = serviceCredentialsFromEnv({ OS_AUTH_URL: 'http://k/v3', OS_USER_ID: 'u1', OS_PASSWORD: 'pw', OS_PROJECT_ID: 'p1' });
    expect(isRight(ids) && ids.right.serviceCredentials).toEqual({ kind: 'password', user: { id: 'u1' }, password: 'pw', scope: { project: { id: 'p1' } } });
    const system = serviceCredentialsFromEnv({ OS_AUTH_URL: 'http://k/v3', OS_USER_ID: 'u1', OS_PASSWORD: 'pw', OS_SYSTEM_SCOPE: 'all' });
    expect(isRight(system) && system.right.serviceCredentials).toMatchObject({ scope: { system: 'all' } });
    const appCred = serviceCredentialsFromEnv({ OS_AUTH_URL: 'http://k/v3', OS_AUTH_TYPE: 'v3applicationcredential', OS_APPLICATION_CREDENTIAL_ID: 'ac1', OS_APPLICATION_CREDENTIAL_SECRET: 's' });
    expect(isRight(appCred) && appCred.right.serviceCredentials).toEqual({ kind: 'application-credential', credential: { id: 'ac1' }, secret: 's' });
    const byName = serviceCredentialsFromEnv({ OS_AUTH_URL: 'http://k/v3', OS_APPLICATION_CREDENTIAL_NAME: 'ac', OS_APPLICATION_CREDENTIAL_SECRET: 's', OS_USERNAME: 'nova', OS_USER_DOMAIN_ID: 'default' });
    expect(isRight(byName) && byName.right.serviceCredentials).toEqual({ kind: 'application-credential', credential: { name: 'ac', user: { name: 'nova', domain: { id: 'default' } } }, secret: 's' });
  });

  it('says what is missing, and never the password', () => {
    const message = (env: Record<string, string>) => { const s = serviceCredentialsFromEnv(env); return isLeft(s) ? s.left : 'accepted'; };
    expect(message({})).toMatch(/OS_AUTH_URL/);
    expect(message({ OS_AUTH_URL: 'http://k/v3', OS_USERNAME: 'nova' })).toMatch(/OS_PASSWORD/);
    expect(message({ OS_AUTH_URL: 'http://k/v3', OS_USERNAME: 'nova', OS_PASSWORD: 'hunter2' })).toMatch(/OS_USER_DOMAIN_NAME/);
    expect(message({ ...OPENRC, OS_PROJECT_DOMAIN_NAME: '', OS_PASSWORD: 'hunter2' })).toMatch(/OS_PROJECT_DOMAIN_NAME/);
    expect(message({ OS_AUTH_URL: 'http://k/v3', OS_AUTH_TYPE: 'v3applicationcredential', OS_APPLICATION_CREDENTIAL_ID: 'x' })).toMatch(/SECRET/);
    expect(message({ OS_AUTH_URL: 'http://k/v3', OS_AUTH_TYPE: 'token', OS_PASSWORD: 'hunter2' })).toMatch(/not supported/);
    for (const env of [{ OS_AUTH_URL: 'http://k/v3', OS_USERNAME: 'nova', OS_PASSWORD: 'hunter2' }]) expect(message(env)).not.toContain('hunter2');
  });

  it('a clouds.yaml entry, found where openstacksdk looks (OS_CLIENT_CONFIG_FILE first, then ./clouds.yaml)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouds-'));
    const file = join(dir, 'clouds.yaml');
    writeFileSync(file, [
      'clouds:', '  prod:', '    auth:', '      auth_url: https://keystone.example/v3', '      username: nova', '      password: pw',
      '      project_name: service', '      user_domain_name: Default', '      project_domain_id: default', '    region_name: RegionTwo',
      '    interface: public', '    cacert: /etc/ssl/prod.pem',
    ].join('\n'));
    expect(findCloudsYaml({ OS_CLIENT_CONFIG_FILE: file }, '/nonexistent')).toBe(file);
    expect(findCloudsYaml({}, dir)).toBe(file);
    const s = authSettingsFromCloud(parse(readFile(file)), 'prod', file);
    expect(isRight(s) && s.right).toEqual({
      authUrl: 'https://keystone.example/v3', regionName: 'RegionTwo', interface: 'public', cacertFile: '/etc/ssl/prod.pem',
      serviceCredentials: { kind: 'password', user: { name: 'nova', domain: { name: 'Default' } }, password: 'pw', scope: { project: { name: 'service', domain: { id: 'default' } } } },
    });
    const missing = authSettingsFromCloud(parse(readFile(file)), 'dev', file);
    expect(isLeft(missing) && missing.left).toBe(`${file}: no cloud named dev`);
  });
});

const readFile = (f: string) => readFileSync(f, 'utf8');
