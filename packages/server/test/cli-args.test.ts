import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli-args.js';

const parsed = (argv: string[]) => {
  const result = parseCommandLine(argv);
  if (isLeft(result)) throw new Error(result.left);
  return result.right;
};
const refused = (argv: string[]): string => {
  const result = parseCommandLine(argv);
  if (isRight(result)) throw new Error(`accepted ${argv.join(' ')}`);
  return result.left;
};

describe('command line', () => {
  it('defaults: the demo on 127.0.0.1:8774 with express, spec profile, the bundled dataset', () => {
    expect(parsed([])).toEqual({
      kind: 'serve', host: '127.0.0.1', port: 8774, framework: 'express', profile: 'spec',
      dataFile: undefined, db: undefined, maxVersion: undefined, serviceDownTime: undefined, policyFile: undefined,
      uptimeTimeout: undefined, dbPoolSize: undefined, dbAcquireTimeout: undefined, dbQueryTimeout: undefined,
      trustKeystoneHeaders: false, showUnrestrictedHosts: false,
    });
  });

  it('reads every flag', () => {
    expect(parsed([
      '--data', 'd.json', '--host', '0.0.0.0', '--port', '0', '--framework', 'koa', '--profile', 'nova', '--max-version', '2.88',
      '--service-down-time', '120', '--policy-file', 'p.yaml', '--trust-keystone-headers', '--show-unrestricted-hosts',
    ])).toEqual({
      kind: 'serve', dataFile: 'd.json', db: undefined, host: '0.0.0.0', port: 0, framework: 'koa', profile: 'nova',
      maxVersion: { major: 2, minor: 88 }, serviceDownTime: 120, policyFile: 'p.yaml', trustKeystoneHeaders: true, showUnrestrictedHosts: true,
      uptimeTimeout: undefined, dbPoolSize: undefined, dbAcquireTimeout: undefined, dbQueryTimeout: undefined,
    });
    expect(parsed(['--db', 'sqlite:x.db', '--uptime-timeout', '0.5', '--db-pool-size', '4', '--db-acquire-timeout', '2', '--db-query-timeout', '1.5']))
      .toMatchObject({ db: 'sqlite:x.db', uptimeTimeout: 0.5, dbPoolSize: 4, dbAcquireTimeout: 2, dbQueryTimeout: 1.5 });
  });

  it('--prefix: a URL path, its final slash dropped; the new frameworks', () => {
    expect(parsed(['--prefix', '/compute'])).toMatchObject({ prefix: '/compute' });
    expect(parsed(['--prefix', '/a/b-c/'])).toMatchObject({ prefix: '/a/b-c' });
    expect(parsed(['--prefix', '/'])).toMatchObject({ prefix: '' });
    for (const bad of ['compute', '/a b', '/a?x', '/a#x', '//a', '/a/%zz', '']) expect(refused(['--prefix', bad])).toMatch(/--prefix must be a URL path/);
    expect(parsed(['--framework', 'fastify'])).toMatchObject({ framework: 'fastify' });
    expect(parsed(['--framework', 'fetch'])).toMatchObject({ framework: 'fetch' });
  });

  it('help, and the import subcommand', () => {
    expect(parsed(['--help'])).toEqual({ kind: 'help' });
    expect(parsed(['-h'])).toEqual({ kind: 'help' });
    expect(parsed(['import', '--data', 'd.json', '--db', 'sqlite:x.db'])).toEqual({ kind: 'import', dataFile: 'd.json', db: 'sqlite:x.db' });
  });

  it('refuses bad input with a message naming the flag', () => {
    expect(refused(['--port', '70000'])).toMatch(/--port/);
    expect(refused(['--port', 'http'])).toMatch(/--port/);
    expect(refused(['--framework', 'hapi'])).toBe('--framework must be one of express, koa, fastify, fetch (got "hapi")');
    expect(refused(['--profile', 'admin'])).toMatch(/--profile must be one of spec, nova/);
    for (const v of ['2', '2.01', '1.9', '3.0', '2.0', 'latest']) expect(refused(['--max-version', v])).toMatch(/--max-version/);
    for (const s of ['0', '-5', 'soon', '1.5']) expect(refused(['--service-down-time', s])).toMatch(/--service-down-time/);
    expect(refused(['--data', 'a.json', '--db', 'sqlite:x'])).toMatch(/alternatives/);
    for (const v of ['0', '-1', 'x', '3601']) expect(refused(['--uptime-timeout', v])).toMatch(/--uptime-timeout/);
    for (const v of ['0', '1.5', '1001']) expect(refused(['--db', 'sqlite:x', '--db-pool-size', v])).toMatch(/--db-pool-size/);
    expect(refused(['--db-query-timeout', '2'])).toBe('--db-query-timeout needs --db');
    expect(refused(['--no-such-flag'])).toMatch(/no-such-flag/);
    expect(refused(['--port'])).toMatch(/port/);
    expect(refused(['serve'])).toMatch(/serve/);
    expect(refused(['import', '--data', 'd.json'])).toMatch(/--db/);
  });

  it('--auth: noauth2 by default, keystone with its own flags, trusted-headers (alias --trust-keystone-headers)', () => {
    expect(parsed(['--auth', 'noauth2'])).toMatchObject({ auth: 'noauth2', trustKeystoneHeaders: false });
    expect(parsed(['--auth', 'trusted-headers'])).toMatchObject({ auth: 'trusted-headers', trustKeystoneHeaders: true });
    expect(parsed(['--trust-keystone-headers'])).toMatchObject({ trustKeystoneHeaders: true });
    expect(parsed(['--auth', 'keystone'])).toMatchObject({ auth: 'keystone', trustKeystoneHeaders: false, keystone: {} });
    expect(parsed([
      '--auth', 'keystone', '--os-cloud', 'prod', '--os-cacert', 'ca.pem', '--keystone-timeout', '2.5', '--token-cache-size', '500',
      '--token-cache-time', '60', '--redis-url', 'redis://127.0.0.1:6379/2', '--www-authenticate-uri', 'https://keystone.example/v3',
      '--service-token-roles-required',
    ])).toMatchObject({
      auth: 'keystone',
      keystone: { cloud: 'prod', cacert: 'ca.pem', timeout: 2.5, tokenCacheSize: 500, tokenCacheTime: 60, redisUrl: 'redis://127.0.0.1:6379/2', wwwAuthenticateUri: 'https://keystone.example/v3', serviceTokenRolesRequired: true },
    });
  });

  it('refuses keystone flags without --auth keystone, and bad values', () => {
    expect(refused(['--auth', 'basic'])).toMatch(/--auth must be one of noauth2, keystone, trusted-headers/);
    expect(refused(['--redis-url', 'redis://x'])).toBe('--redis-url needs --auth keystone');
    expect(refused(['--service-token-roles-required'])).toBe('--service-token-roles-required needs --auth keystone');
    expect(refused(['--os-cloud', 'x', '--auth', 'noauth2'])).toBe('--os-cloud needs --auth keystone');
    expect(refused(['--trust-keystone-headers', '--auth', 'keystone'])).toMatch(/cannot go with --auth keystone/);
    expect(refused(['--auth', 'keystone', '--redis-url', 'http://x'])).toMatch(/--redis-url must be a redis or rediss URL/);
    expect(refused(['--auth', 'keystone', '--www-authenticate-uri', 'keystone'])).toMatch(/--www-authenticate-uri/);
    for (const v of ['0', '-1', 'x']) expect(refused(['--auth', 'keystone', '--token-cache-size', v])).toMatch(/--token-cache-size/);
    for (const v of ['0', 'x', '3601']) expect(refused(['--auth', 'keystone', '--token-cache-time', v])).toMatch(/--token-cache-time/);
  });
});
