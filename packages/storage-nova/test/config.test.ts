import { formatCellUrl, novaDatabasesFromConf, parseCellOverride, parseNovaConf, redactSecrets, redactUrl, toDriverUrl } from '@os-hypervisors/storage-nova';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';

const ok = <A>(e: { _tag: 'Left'; left: string } | { _tag: 'Right'; right: A }): A => {
  if (isLeft(e)) throw new Error(e.left);
  return e.right;
};

describe("Nova's SQLAlchemy URLs as driver URLs", () => {
  it.each([
    ['mysql+pymysql://nova:pw@db.example/nova_api?charset=utf8', 'mysql://nova:pw@db.example/nova_api'],
    ['mysql://nova:pw@db:3307/nova', 'mysql://nova:pw@db:3307/nova'],
    ['mariadb+pymysql://nova:p%40ss@db/nova?charset=utf8&plugin=x', 'mysql://nova:p%40ss@db/nova'],
    ['mysql+pymysql://nova:pw@localhost/nova?unix_socket=/run/mysqld/mysqld.sock', 'mysql://nova:pw@localhost/nova?socketPath=%2Frun%2Fmysqld%2Fmysqld.sock'],
    ['postgresql://nova:pw@pg/nova_api', 'postgresql://nova:pw@pg/nova_api'],
    ['postgresql+psycopg2://nova:pw@pg:5433/nova?sslmode=require', 'postgresql://nova:pw@pg:5433/nova?sslmode=require'],
    ['sqlite:////var/lib/nova/nova_api.sqlite', 'sqlite:/var/lib/nova/nova_api.sqlite'],
    ['sqlite:///nova.sqlite', 'sqlite:nova.sqlite'],
    ['sqlite://', 'sqlite::memory:'],
  ])('%s', (url, driver) => {
    expect(ok(toDriverUrl(url))).toBe(driver);
  });

  it('refuses other dialects and drivers, naming the URL without its password', () => {
    const refused = toDriverUrl('oracle://nova:hunter2@db/nova');
    expect(isLeft(refused) && refused.left).toMatch(/unsupported database dialect "oracle".*oracle:\/\/nova:\*\*\*\*@db\/nova/);
    expect(isLeft(refused) && refused.left).not.toContain('hunter2');
    expect(isLeft(toDriverUrl('not a url'))).toBe(true);
    expect(isLeft(toDriverUrl('sqlite://host/path'))).toBe(true);
  });
});

describe('passwords are never printed', () => {
  it('redacts the password of a URL, to the last @ of the authority', () => {
    expect(redactUrl('mysql+pymysql://nova:s3cr3t@db/nova_api?charset=utf8')).toBe('mysql+pymysql://nova:****@db/nova_api?charset=utf8');
    expect(redactUrl('postgresql://nova:p@ss@pg/nova')).toBe('postgresql://nova:****@pg/nova');
    expect(redactUrl('sqlite:////x.sqlite')).toBe('sqlite:////x.sqlite');
    expect(redactUrl('mysql://nova@db/nova')).toBe('mysql://nova@db/nova');
  });

  it('scrubs every known password from a driver message, as written and percent-decoded', () => {
    const urls = ['mysql+pymysql://nova:p%40ss@db/nova', 'postgresql://ro:other@pg/x'];
    expect(redactSecrets('failed: mysql+pymysql://nova:p%40ss@db/nova; p@ss; other', urls)).toBe('failed: mysql+pymysql://nova:****@db/nova; ****; ****');
  });
});

describe('nova.conf (oslo.config INI)', () => {
  it('reads [api_database] and [database] connection; later files override; `:` and `=`, quotes, comments, continuations', () => {
    const conf = ok(parseNovaConf([
      { name: 'nova.conf', text: '[DEFAULT]\n# comment\ndebug = true\n[api_database]\nconnection = mysql+pymysql://nova:a@db/nova_api\n[database]\nconnection: "mysql+pymysql://nova:b@db/nova"\nmax-retries = 3\n' },
      { name: 'override.conf', text: '[api_database]\n; local\nconnection=sqlite:////tmp/api.sqlite\n\n[x]\nmulti = a\n  b\n' },
    ]));
    expect(conf.get('api_database')?.get('connection')).toBe('sqlite:////tmp/api.sqlite');
    expect(conf.get('database')?.get('connection')).toBe('mysql+pymysql://nova:b@db/nova');
    expect(conf.get('database')?.get('max_retries')).toBe('3');
    expect(conf.get('x')?.get('multi')).toBe('a\nb');
  });

  it('finds the databases, or says what is missing', () => {
    expect(ok(novaDatabasesFromConf([{ name: 'n.conf', text: '[api_database]\nconnection = sqlite://\n' }]))).toEqual({ apiDatabase: 'sqlite://' });
    const missing = novaDatabasesFromConf([{ name: 'n.conf', text: '[database]\nconnection = sqlite://\n' }]);
    expect(isLeft(missing) && missing.left).toBe('n.conf: nova.conf has no [api_database] connection');
    const broken = novaDatabasesFromConf([{ name: 'n.conf', text: '[api_database\n' }]);
    expect(isLeft(broken) && broken.left).toMatch(/n\.conf line 1: invalid section header/);
    expect(isLeft(novaDatabasesFromConf([{ name: 'n.conf', text: 'connection = x\n' }]))).toBe(true);
  });

  it('--nova-cell-db NAME=URL', () => {
    expect(ok(parseCellOverride('cell1=mysql+pymysql://ro:pw@10.0.0.5/nova_cell1'))).toEqual(['cell1', 'mysql+pymysql://ro:pw@10.0.0.5/nova_cell1']);
    expect(isRight(parseCellOverride('cell1'))).toBe(false);
    const bad = parseCellOverride('cell1=mysql+pymysql://ro:hunter2@x');
    expect(isRight(bad)).toBe(true);
    const unsupported = parseCellOverride('cell1=oracle://ro:hunter2@x/db');
    expect(isLeft(unsupported) && unsupported.left).not.toContain('hunter2');
  });
});

describe('cell_mappings.database_connection templates ([database] connection fills them)', () => {
  it('substitutes as CellMapping._format_url does', () => {
    const template = '{scheme}://{username}:{password}@{hostname}:{port}/nova_cell1?{query}';
    expect(formatCellUrl(template, 'mysql+pymysql://nova:pw@DB.example:3306/nova?charset=utf8')).toBe('mysql+pymysql://nova:pw@db.example:3306/nova_cell1?charset=utf8');
    expect(formatCellUrl('{scheme}:///{path}', 'sqlite:////var/nova.sqlite')).toBe('sqlite:///var/nova.sqlite');
  });

  it('leaves a plain URL, an unknown variable or a missing default alone', () => {
    expect(formatCellUrl('mysql://a:b@c/d', 'mysql://x:y@z/w')).toBe('mysql://a:b@c/d');
    expect(formatCellUrl('{nope}://x', 'mysql://x:y@z/w')).toBe('{nope}://x');
    expect(formatCellUrl('{scheme}://x', undefined)).toBe('{scheme}://x');
  });
});
