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
      metricsPort: undefined, metricsHost: '127.0.0.1', metricsPath: '/metrics', logFormat: 'auto', logLevel: 'info',
      limits: {},
    });
  });

  it('reads the server limits: bytes, counts, seconds as milliseconds', () => {
    expect(parsed([
      '--max-header-size', '8192', '--max-body-size', '0', '--headers-timeout', '10', '--request-timeout', '30.5',
      '--keep-alive-timeout', '0.25', '--max-connections', '64', '--shutdown-timeout', '20',
    ])).toMatchObject({
      limits: { maxHeaderSize: 8192, maxBodySize: 0, headersTimeoutMs: 10_000, requestTimeoutMs: 30_500, keepAliveTimeoutMs: 250, maxConnections: 64, shutdownTimeoutMs: 20_000 },
    });
    expect(parsed(['--max-body-size', '1024'])).toMatchObject({ limits: { maxBodySize: 1024 } });
    for (const v of ['100', '2000000', 'x']) expect(refused(['--max-header-size', v])).toMatch(/--max-header-size must be a number of bytes/);
    for (const v of ['-1', '1.5', '2000000000']) expect(refused(['--max-body-size', v])).toMatch(/--max-body-size/);
    for (const flag of ['headers-timeout', 'request-timeout', 'keep-alive-timeout', 'shutdown-timeout']) {
      for (const v of ['0', '-1', 'x', '3601']) expect(refused([`--${flag}`, v])).toMatch(new RegExp(`--${flag}`));
    }
    for (const v of ['0', '1.5', 'many']) expect(refused(['--max-connections', v])).toMatch(/--max-connections/);
  });

  it('reads every flag', () => {
    expect(parsed([
      '--data', 'd.json', '--host', '0.0.0.0', '--port', '0', '--framework', 'koa', '--profile', 'nova', '--max-version', '2.88',
      '--service-down-time', '120', '--policy-file', 'p.yaml', '--trust-keystone-headers', '--show-unrestricted-hosts',
    ])).toEqual({
      kind: 'serve', dataFile: 'd.json', db: undefined, host: '0.0.0.0', port: 0, framework: 'koa', profile: 'nova',
      maxVersion: { major: 2, minor: 88 }, serviceDownTime: 120, policyFile: 'p.yaml', trustKeystoneHeaders: true, showUnrestrictedHosts: true,
      uptimeTimeout: undefined, dbPoolSize: undefined, dbAcquireTimeout: undefined, dbQueryTimeout: undefined,
      metricsPort: undefined, metricsHost: '127.0.0.1', metricsPath: '/metrics', logFormat: 'auto', logLevel: 'info',
      limits: {},
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

  it('observability: metrics listener apart from the API, log format and level', () => {
    expect(parsed(['--metrics-port', '9180', '--metrics-host', '0.0.0.0', '--metrics-path', '/probe/metrics', '--log-format', 'json', '--log-level', 'warn']))
      .toMatchObject({ metricsPort: 9180, metricsHost: '0.0.0.0', metricsPath: '/probe/metrics', logFormat: 'json', logLevel: 'warn' });
    expect(parsed(['--port', '0', '--metrics-port', '0'])).toMatchObject({ port: 0, metricsPort: 0 });
    expect(refused(['--metrics-port', '8774'])).toMatch(/--metrics-port must differ from --port/);
    expect(refused(['--metrics-port', '70000'])).toMatch(/--metrics-port must be an integer/);
    expect(refused(['--metrics-path', '/m'])).toMatch(/need --metrics-port/);
    expect(refused(['--metrics-host=0.0.0.0'])).toMatch(/need --metrics-port/);
    expect(refused(['--metrics-port', '9180', '--metrics-path', '/readyz'])).toMatch(/--metrics-path must be a path/);
    expect(refused(['--metrics-port', '9180', '--metrics-path', 'metrics'])).toMatch(/--metrics-path must be a path/);
    expect(refused(['--log-format', 'xml'])).toMatch(/--log-format must be one of json, pretty, auto/);
    expect(refused(['--log-level', 'loud'])).toMatch(/--log-level must be one of/);
  });

  it('reads Nova\'s databases: --nova-conf (repeatable) or --nova-api-db, with --nova-cell-db overrides', () => {
    expect(parsed(['--nova-conf', '/etc/nova/nova.conf', '--nova-conf', 'local.conf', '--nova-cell-db', 'cell1=mysql+pymysql://ro:pw@db1/nova_cell1', '--db-pool-size', '4']))
      .toMatchObject({ novaConf: ['/etc/nova/nova.conf', 'local.conf'], novaCellDbs: ['cell1=mysql+pymysql://ro:pw@db1/nova_cell1'], dbPoolSize: 4 });
    expect(parsed(['--nova-api-db', 'sqlite:////var/lib/nova/nova_api.sqlite'])).toMatchObject({ novaApiDb: 'sqlite:////var/lib/nova/nova_api.sqlite' });
    expect(refused(['--nova-conf', 'a.conf', '--db', 'sqlite:x'])).toMatch(/--db and --nova-conf\/--nova-api-db are alternatives/);
    expect(refused(['--nova-conf', 'a.conf', '--nova-api-db', 'sqlite://'])).toMatch(/alternatives/);
    expect(refused(['--data', 'd.json', '--nova-api-db', 'sqlite://'])).toMatch(/alternatives/);
    expect(refused(['--nova-cell-db', 'cell1=sqlite://'])).toMatch(/--nova-cell-db needs --nova-conf or --nova-api-db/);
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
    expect(refused(['--db-query-timeout', '2'])).toBe('--db-query-timeout needs --db, --nova-conf or --nova-api-db');
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
