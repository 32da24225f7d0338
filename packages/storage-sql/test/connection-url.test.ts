import { parseConnectionUrl } from '@os-hypervisors/storage-sql';
import { describe, expect, it } from 'vitest';

describe('parseConnectionUrl', () => {
  it.each([
    ['postgres://u:p@db:5432/nova', { dialect: 'postgres', connectionString: 'postgres://u:p@db:5432/nova' }],
    ['postgresql://db/nova', { dialect: 'postgres', connectionString: 'postgresql://db/nova' }],
    ['mysql://root@127.0.0.1:3306/nova', { dialect: 'mysql', uri: 'mysql://root@127.0.0.1:3306/nova' }],
    ['mariadb://root@db/nova', { dialect: 'mysql', uri: 'mysql://root@db/nova' }],
    ['sqlite:/var/lib/osh.db', { dialect: 'sqlite', filename: '/var/lib/osh.db' }],
    ['sqlite:data/osh.db', { dialect: 'sqlite', filename: 'data/osh.db' }],
    ['sqlite:///var/lib/osh.db', { dialect: 'sqlite', filename: '/var/lib/osh.db' }],
    ['sqlite::memory:', { dialect: 'sqlite', filename: ':memory:' }],
  ])('%s', (url, target) => {
    expect(parseConnectionUrl(url)).toEqual({ _tag: 'Right', right: target });
  });

  it.each([
    ['sqlite:', 'sqlite: URL without a file name (use sqlite:FILE or sqlite::memory:)'],
    ['oracle://x', 'unsupported database URL scheme "oracle": use postgres://, mysql:// or sqlite:FILE'],
    ['/just/a/path', 'unsupported database URL scheme "/just/a/path": use postgres://, mysql:// or sqlite:FILE'],
  ])('refuses %s', (url, message) => {
    expect(parseConnectionUrl(url)).toEqual({ _tag: 'Left', left: message });
  });
});
