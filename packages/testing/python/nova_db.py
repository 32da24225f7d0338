#!/usr/bin/python3
"""Nova's own databases for tests: an API database, cell0 and two cells, made as an operator makes them.

Run with Debian's /usr/bin/python3 (python3-nova, Zed). Nothing of Nova is copied here; it is driven:

- Schema: `nova-manage api_db sync`, `cell_v2 map_cell0`, `cell_v2 create_cell` (twice),
  `db sync` (cell0 and the [database] cell) and `db sync --local_cell` with cell2 as [database] —
  the functions those commands call (nova.cmd.manage), in-process, under a generated nova.conf.
  The migrated empty schemas are cached per Nova version and dialect (an SQL dump for SQLite, the
  replayed DDL for MariaDB, a template database for PostgreSQL), so a test run migrates once.
- Data: one of our Nova-shaped datasets (packages/core/src/model/dataset.ts) written through Nova's
  own DB API and objects (service_create, compute_node_create, instance_create, the Aggregate
  object's add_host, HostMapping/InstanceMapping.create), keeping the dataset's ids; soft-deleted
  rows are soft-deleted by Nova (service_destroy, compute_node_delete, instance_destroy: deleted = id).
- A read-only user (MariaDB: GRANT SELECT; PostgreSQL: a role with SELECT) for MariaDB/PostgreSQL.

Commands (one JSON document in via --spec FILE, one JSON line out on stdout; Nova's chatter goes to
stderr):
  build   create the databases, migrate (or replay the cache), map cells, fill the dataset
  mutate  apply live changes to built databases (--conf nova.conf, --spec ops.json)
  drop    drop the databases and the read-only user a build made
"""

import argparse
import datetime
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import sys
import tempfile
import warnings

_OUT = os.fdopen(os.dup(1), 'w', buffering=1, encoding='utf-8')
os.dup2(2, 1)
sys.stdout = sys.stderr
warnings.simplefilter('ignore')

# Cells never receive a message here; Nova only parses the URLs, which must differ per cell (a
# virtual host each, as an operator's rabbit://…/cell1).
def transport_url(cell):
    return 'fake:/%s' % cell
CELLS = ('cell1', 'cell2')


# ---------------------------------------------------------------------------------------------
# URLs and servers

def server_url(spec, database, user=None, password=None):
    server = spec['server']
    user = user or server['user']
    password = server.get('password') if password is None else password
    auth = user if not password else '%s:%s' % (user, password)
    if spec['dialect'] == 'mariadb':
        return 'mysql+pymysql://%s@%s:%s/%s?charset=utf8' % (auth, server['host'], server['port'], database)
    return 'postgresql+psycopg2://%s@%s:%s/%s' % (auth, server['host'], server['port'], database)


def database_urls(spec):
    """{api, cell0, cell1, cell2} SQLAlchemy URLs for this build."""
    names = ('api', 'cell0') + CELLS
    if spec['dialect'] == 'sqlite':
        return {n: 'sqlite:///%s' % os.path.join(spec['workdir'], 'nova_%s.sqlite' % n) for n in names}
    return {n: server_url(spec, '%s_%s' % (spec['prefix'], n)) for n in names}


def admin_connect(spec, database=None):
    server = spec['server']
    if spec['dialect'] == 'mariadb':
        import pymysql
        return pymysql.connect(host=server['host'], port=int(server['port']), user=server['user'],
                               password=server.get('password') or '', database=database, autocommit=True)
    import psycopg2
    conn = psycopg2.connect(host=server['host'], port=int(server['port']), user=server['user'],
                            password=server.get('password') or None, dbname=database or 'postgres')
    conn.autocommit = True
    return conn


def execute(conn, *statements):
    with conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement)


def on_each_database(spec, names, mariadb_sql, postgres_sql):
    if spec['dialect'] == 'sqlite':
        return
    conn = admin_connect(spec)
    try:
        template = mariadb_sql if spec['dialect'] == 'mariadb' else postgres_sql
        execute(conn, *[template % name for name in names])
    finally:
        conn.close()


def create_databases(spec, names):
    on_each_database(spec, names, 'CREATE DATABASE `%s` CHARACTER SET utf8', 'CREATE DATABASE "%s"')


def drop_databases(spec, names):
    on_each_database(spec, names, 'DROP DATABASE IF EXISTS `%s`', 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)')


def database_names(spec):
    return ['%s_%s' % (spec['prefix'], n) for n in ('api', 'cell0') + CELLS]


# ---------------------------------------------------------------------------------------------
# Nova's configuration, as an operator writes it

def write_nova_conf(path, api_url, cell_url):
    with open(path, 'w') as f:
        f.write('[DEFAULT]\ntransport_url = %s\n\n[api_database]\nconnection = %s\n\n'
                '[database]\nconnection = %s\n' % (transport_url('cell1'), api_url, cell_url))


def load_nova(conf_path, verbose=False):
    """What nova-manage's main() does before running a command."""
    # nova-manage imports nova.cmd first, which monkey-patches with eventlet while the heap is small;
    # patching later (after oslo and nova are loaded) costs seconds of gc.collect.
    import nova.cmd  # noqa: F401
    from nova import config
    from nova import objects
    import nova.conf
    from oslo_log import log as logging

    conf = nova.conf.CONF
    config.parse_args(['nova-manage', '--config-file', conf_path])
    logging.setup(conf, 'nova')
    if not verbose:
        import logging as pylogging
        pylogging.disable(pylogging.WARNING)
    objects.register_all()
    return conf


def nova_version():
    import nova.version
    return nova.version.version_string()


# ---------------------------------------------------------------------------------------------
# The migrated empty schema, cached per Nova version and dialect

def cache_dir(dialect):
    import nova.version
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    # version_string_with_package needs a parsed config; the version and the install path suffice.
    import nova
    key = hashlib.sha256(('%s %s' % (nova.version.version_string(), nova.__file__)).encode()).hexdigest()[:12]
    return os.path.join(base, 'os-hypervisors-nova-db', key, dialect)


def template_names(spec):
    key = os.path.basename(os.path.dirname(cache_dir(spec['dialect'])))
    return {'api': 'osh_novatpl_%s_api' % key, 'cell': 'osh_novatpl_%s_cell' % key}


def dump_schema(spec, url):
    """The schema and the rows the migrations wrote (alembic_version), as replayable statements."""
    if spec['dialect'] == 'sqlite':
        with sqlite3.connect(url[len('sqlite:///'):]) as db:
            return list(db.iterdump())
    import sqlalchemy as sa
    engine = sa.create_engine(url)
    statements = []
    try:
        with engine.connect() as conn:
            tables = [r[0] for r in conn.execute(sa.text('SHOW FULL TABLES WHERE Table_type = "BASE TABLE"'))]
            for table in tables:
                ddl = conn.execute(sa.text('SHOW CREATE TABLE `%s`' % table)).fetchone()[1]
                statements.append(re.sub(r' AUTO_INCREMENT=\d+', '', ddl))
            meta = sa.MetaData()
            meta.reflect(bind=conn)
            for table in meta.sorted_tables:
                for row in conn.execute(table.select()):
                    values = ', '.join(conn.dialect.identifier_preparer.quote(c) + '=' + sql_literal(v)
                                       for c, v in row._mapping.items())
                    statements.append('INSERT INTO `%s` SET %s' % (table.name, values))
    finally:
        engine.dispose()
    return statements


def sql_literal(value):
    if value is None:
        return 'NULL'
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace('\\', '\\\\').replace("'", "''") + "'"


def replay_schema(spec, url, statements):
    if spec['dialect'] == 'sqlite':
        with sqlite3.connect(url[len('sqlite:///'):]) as db:
            db.executescript(';\n'.join(s.rstrip(';') for s in statements) + ';')
        return
    import sqlalchemy as sa
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text('SET FOREIGN_KEY_CHECKS = 0'))
            for statement in statements:
                conn.exec_driver_sql(statement.replace('%', '%%'))
            conn.execute(sa.text('SET FOREIGN_KEY_CHECKS = 1'))
    finally:
        engine.dispose()


def read_cache(spec):
    path = os.path.join(cache_dir(spec['dialect']), 'schema.json')
    if spec.get('noCache') or not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def write_cache(spec, dumps):
    directory = cache_dir(spec['dialect'])
    try:
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, 'schema.json')
        tmp = '%s.%d.tmp' % (path, os.getpid())
        with open(tmp, 'w') as f:
            json.dump(dumps, f)
        os.replace(tmp, path)
    except OSError as e:
        print('nova-db: schema cache not written: %s' % e, file=sys.stderr)


# PostgreSQL: the cache is a pair of template databases on the server, made under an advisory lock
# and renamed into place only once migrated (a half-made template is never used).

def pg_templates_ready(spec):
    names = template_names(spec)
    conn = admin_connect(spec)
    try:
        with conn.cursor() as cur:
            cur.execute('SELECT datname FROM pg_database WHERE datname IN (%s, %s)', (names['api'], names['cell']))
            return len(cur.fetchall()) == 2 and not spec.get('noCache')
    finally:
        conn.close()


def pg_lock(spec):
    conn = admin_connect(spec)
    execute(conn, 'SELECT pg_advisory_lock(7364912)')
    return conn


def pg_snapshot(spec, database, kind):
    """A copy of a freshly migrated database under a scratch name; renamed to the template later."""
    scratch = 'osh_novatpl_scratch_%s_%s' % (kind, secrets.token_hex(4))
    conn = admin_connect(spec)
    try:
        execute(conn, 'CREATE DATABASE "%s" TEMPLATE "%s"' % (scratch, database))
    finally:
        conn.close()
    return scratch


def pg_publish_templates(spec, scratch):
    names = template_names(spec)
    conn = admin_connect(spec)
    try:
        for kind, name in names.items():
            execute(conn, 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name,
                    'ALTER DATABASE "%s" RENAME TO "%s"' % (scratch[kind], name))
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# build

def parse_time(value):
    if value is None:
        return None
    text = value[:-1] if value.endswith('Z') else value
    parsed = datetime.datetime.fromisoformat(text)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return parsed


def column_values(model, row, skip=()):
    """The dataset row restricted to the model's columns (timestamps parsed, booleans as booleans).
    `deleted` is left out: Nova writes it when it soft-deletes the row."""
    import sqlalchemy as sa
    values = {}
    for col in model.__table__.columns:
        if col.name not in row or col.name in skip or col.name in ('deleted', 'deleted_at'):
            continue
        value = row[col.name]
        if value is not None and isinstance(col.type, sa.DateTime):
            value = parse_time(value)
        elif value is not None and isinstance(col.type, sa.Boolean):
            value = bool(value)
        values[col.name] = value
    return values


def live(row):
    return not row.get('deleted')


def cell_of_row(placement, host):
    """The cell database a host's rows live in (an unmapped host's rows still live in some cell)."""
    if host is None:
        return placement['hostless']
    return placement['rows'].get(host) or placement['hostless']


def fill_cell(cctxt, dataset, placement, cell_name):
    from nova.db.main import api as db
    from nova.db.main import models

    def mine(row):
        return cell_of_row(placement, row.get('host')) == cell_name

    # Services first, each soft-deleted right away if the dataset says so: service_destroy also
    # soft-deletes its host's compute nodes, which the dataset lists on their own.
    for row in sorted(dataset.get('services', []), key=lambda r: r['id']):
        if not mine(row):
            continue
        db.service_create(cctxt, column_values(models.Service, row))
        if not live(row):
            db.service_destroy(cctxt, row['id'])
    for row in sorted(dataset.get('compute_nodes', []), key=lambda r: r['id']):
        if not mine(row):
            continue
        db.compute_node_create(cctxt, column_values(models.ComputeNode, row))
        if not live(row):
            db.compute_node_delete(cctxt, row['id'])
    for row in sorted(dataset.get('instances', []), key=lambda r: r['id']):
        if not mine(row):
            continue
        db.instance_create(cctxt, column_values(models.Instance, row))
        if not live(row):
            db.instance_destroy(cctxt, row['uuid'])


def fill_api(ctxt, dataset, placement, cells):
    from nova import objects
    from nova.db.api import models as api_models
    from nova.objects import aggregate as aggregate_obj

    for agg in sorted(dataset.get('aggregates', []), key=lambda r: r['id']):
        if not live(agg):
            continue  # the API database hard-deletes aggregates
        metadata = dict(agg.get('metadata') or {})
        # Nova keeps an aggregate's zone as its `availability_zone` metadata key.
        if agg.get('availability_zone') is not None:
            metadata.setdefault('availability_zone', agg['availability_zone'])
        values = column_values(api_models.Aggregate, agg)
        aggregate_obj._aggregate_create_in_db(ctxt, values, metadata=metadata)
        aggregate = objects.Aggregate.get_by_id(ctxt, agg['id'])
        for host in agg.get('hosts', []):
            aggregate.add_host(host)
    for host, cell_name in sorted(placement['mapped'].items()):
        objects.HostMapping(ctxt, host=host, cell_mapping=cells[cell_name]).create()
    for row in dataset.get('instances', []):
        if not live(row):
            continue
        cell_name = cell_of_row(placement, row.get('host'))
        objects.InstanceMapping(ctxt, instance_uuid=row['uuid'], cell_mapping=cells[cell_name],
                                project_id=row.get('project_id') or 'unknown',
                                user_id=row.get('user_id')).create()


def dataset_hosts(dataset):
    hosts = set()
    for table in ('services', 'compute_nodes', 'instances'):
        hosts |= {r['host'] for r in dataset.get(table, []) if r.get('host')}
    return hosts


def placement_of(spec, dataset):
    """Where each host's rows go and which hosts get a host mapping: spec['cellOf'] maps a host to
    'cell1' | 'cell2' | null (no host mapping; its rows go to spec['unmappedIn'], default cell1)."""
    hosts = sorted(dataset_hosts(dataset))
    cell_of = spec.get('cellOf') or {}
    unmapped_in = spec.get('unmappedIn') or 'cell1'
    rows, mapped = {}, {}
    for i, host in enumerate(hosts):
        cell = cell_of[host] if host in cell_of else CELLS[i % 2]
        if cell is None:
            rows[host] = unmapped_in
        elif cell in CELLS:
            rows[host] = mapped[host] = cell
        else:
            raise SystemExit('nova-db: cellOf(%r) = %r: not cell1, cell2 or null' % (host, cell))
    return {'rows': rows, 'mapped': mapped, 'hostless': spec.get('hostlessIn') or 'cell1'}


def run_manage(conf_path, cached_schema, urls, spec):
    """The operator's sequence, through the functions nova-manage calls."""
    from nova.cmd import manage
    from nova import context as nova_context
    from nova.db import migration
    from nova import objects
    import nova.conf

    conf = nova.conf.CONF
    timings = {}
    started = _now()
    if not cached_schema:
        manage.ApiDbCommands().sync()                      # nova-manage api_db sync
    timings['api_db_sync'] = _since(started)
    dumps = {}
    if not cached_schema:
        dispose_engines()
        dumps['api'] = snapshot(spec, urls, 'api')
    cells = manage.CellV2Commands()
    if cells.map_cell0(database_connection=urls['cell0']) != 0:    # nova-manage cell_v2 map_cell0
        raise SystemExit('nova-db: map_cell0 failed')
    for name in CELLS:                                       # nova-manage cell_v2 create_cell
        if cells.create_cell(name=name, database_connection=urls[name], transport_url=transport_url(name)) != 0:
            raise SystemExit('nova-db: create_cell %s failed' % name)
    started = _now()
    if not cached_schema:
        manage.DbCommands().sync()                           # nova-manage db sync (cell0 + cell1)
        ctxt = nova_context.get_admin_context()
        cell2 = objects.CellMapping.get_by_uuid(ctxt, cell_uuid(ctxt, 'cell2'))
        with nova_context.target_cell(ctxt, cell2) as cctxt:  # db sync --local_cell, cell2's nova.conf
            migration.db_sync(None, context=cctxt)
    timings['db_sync'] = _since(started)
    if not cached_schema:
        dispose_engines()
        dumps['cell'] = snapshot(spec, urls, 'cell2')
        if spec['dialect'] == 'postgres':
            pg_publish_templates(spec, {'api': dumps['api'], 'cell': dumps['cell']})
        else:
            write_cache(spec, dumps)
    return timings, conf


def snapshot(spec, urls, name):
    if spec['dialect'] == 'postgres':
        return pg_snapshot(spec, '%s_%s' % (spec['prefix'], name), 'api' if name == 'api' else 'cell')
    return dump_schema(spec, urls[name])


def cell_uuid(ctxt, name):
    from nova import objects
    for cell in objects.CellMappingList.get_all(ctxt):
        if cell.name == name:
            return cell.uuid
    raise SystemExit('nova-db: no cell mapping named %s' % name)


def dispose_engines():
    from nova.db.api import api as api_db_api
    from nova.db.main import api as main_db_api
    from nova import context as nova_context
    try:
        api_db_api.get_engine().dispose()
    except Exception:
        pass
    try:
        main_db_api.get_engine().dispose()
    except Exception:
        pass
    for cached in list(nova_context.CELL_CACHE.values()):
        try:
            cached[0].writer.get_engine().dispose()
        except Exception:
            pass


def _now():
    import time
    return time.perf_counter()


def _since(started):
    return round(_now() - started, 3)


def pg_advance_sequences(spec, database):
    """Rows written with the dataset's ids leave PostgreSQL's sequences behind (MySQL and SQLite
    follow the largest id by themselves); put each past its column's largest id."""
    conn = admin_connect(spec, database)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT table_name, column_name FROM information_schema.columns "
                        "WHERE table_schema = 'public' AND column_default LIKE 'nextval(%%'")
            for table, column in cur.fetchall():
                cur.execute('SELECT setval(pg_get_serial_sequence(%%s, %%s), COALESCE(MAX("%s"), 0) + 1, false) '
                            'FROM "%s"' % (column, table), (table, column))
    finally:
        conn.close()


def create_read_only_user(spec):
    user = '%s_ro' % spec['prefix']
    password = secrets.token_hex(12)
    conn = admin_connect(spec)
    try:
        if spec['dialect'] == 'mariadb':
            for host in ('%', 'localhost', '127.0.0.1'):
                execute(conn, "CREATE USER '%s'@'%s' IDENTIFIED BY '%s'" % (user, host, password))
                for name in database_names(spec):
                    execute(conn, "GRANT SELECT ON `%s`.* TO '%s'@'%s'" % (name, user, host))
        else:
            execute(conn, "CREATE ROLE \"%s\" LOGIN PASSWORD '%s'" % (user, password))
            for name in database_names(spec):
                execute(conn, 'GRANT CONNECT ON DATABASE "%s" TO "%s"' % (name, user))
    finally:
        conn.close()
    if spec['dialect'] == 'postgres':
        for name in database_names(spec):
            conn = admin_connect(spec, name)
            try:
                execute(conn, 'REVOKE CREATE ON SCHEMA public FROM PUBLIC',
                        'GRANT USAGE ON SCHEMA public TO "%s"' % user,
                        'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "%s"' % user)
            finally:
                conn.close()
    return user, password


def drop_read_only_user(spec):
    user = '%s_ro' % spec['prefix']
    conn = admin_connect(spec)
    try:
        if spec['dialect'] == 'mariadb':
            for host in ('%', 'localhost', '127.0.0.1'):
                execute(conn, "DROP USER IF EXISTS '%s'@'%s'" % (user, host))
        else:
            execute(conn, 'DROP ROLE IF EXISTS "%s"' % user)
    finally:
        conn.close()


def build(spec):
    started = _now()
    with open(spec['dataset']) as f:
        dataset = json.load(f)
    placement = placement_of(spec, dataset)
    urls = database_urls(spec)
    conf_path = os.path.join(spec['workdir'], 'nova.conf')
    write_nova_conf(conf_path, urls['api'], urls['cell1'])
    load_nova(conf_path, spec.get('verbose'))
    if spec.get('now'):
        from oslo_utils import timeutils
        timeutils.set_time_override(parse_time(spec['now']))

    names = database_names(spec)
    timings = {}
    lock = None
    if spec['dialect'] == 'postgres':
        # Held for the whole build: a first build publishes the templates the others copy.
        lock = pg_lock(spec)
        cached = pg_templates_ready(spec)
        if cached:
            templates = template_names(spec)
            conn = admin_connect(spec)
            try:
                for name in names:
                    source = templates['api'] if name.endswith('_api') else templates['cell']
                    execute(conn, 'CREATE DATABASE "%s" TEMPLATE "%s"' % (name, source))
            finally:
                conn.close()
            lock.close()
            lock = None
        else:
            create_databases(spec, names)
    else:
        create_databases(spec, names)
        schema = read_cache(spec)
        cached = schema is not None
        timings['load'] = _since(started)
        if cached:
            # One connection per database at once: a MariaDB server creates tables in parallel.
            from concurrent.futures import ThreadPoolExecutor
            with ThreadPoolExecutor(max_workers=4) as pool:
                jobs = [pool.submit(replay_schema, spec, urls[name], schema['api' if name == 'api' else 'cell'])
                        for name in ('api', 'cell0') + CELLS]
                for job in jobs:
                    job.result()
    timings['schema'] = _since(started)

    from nova import context as nova_context
    from nova import objects
    t = _now()
    try:
        manage_timings, _conf = run_manage(conf_path, cached, urls, spec)
    finally:
        if lock is not None:
            lock.close()
    timings.update(manage_timings)
    timings['manage'] = _since(t)

    t = _now()
    ctxt = nova_context.get_admin_context()
    cells = {c.name: c for c in objects.CellMappingList.get_all(ctxt)}
    for name in CELLS:
        with nova_context.target_cell(ctxt, cells[name]) as cctxt:
            fill_cell(cctxt, dataset, placement, name)
    fill_api(ctxt, dataset, placement, cells)
    dispose_engines()
    if spec['dialect'] == 'postgres':
        for name in database_names(spec):
            pg_advance_sequences(spec, name)
    timings['fill'] = _since(t)

    result = {
        'nova': nova_version(),
        'cached': cached,
        'apiUrl': urls['api'],
        'cells': [{'name': c.name, 'uuid': c.uuid, 'url': c.database_connection}
                  for c in sorted(cells.values(), key=lambda c: c.name)],
        'novaConfPath': conf_path,
        'sqlalchemyUrls': urls,
        'hostCells': {h: placement['mapped'].get(h) for h in sorted(placement['rows'])},
        'rowCells': placement['rows'],
    }
    if spec['dialect'] != 'sqlite' and spec.get('readOnlyUser', True):
        user, password = create_read_only_user(spec)
        ro_urls = {n: server_url(spec, '%s_%s' % (spec['prefix'], n), user, password) for n in urls}
        ro_conf = os.path.join(spec['workdir'], 'nova-readonly.conf')
        write_nova_conf(ro_conf, ro_urls['api'], ro_urls['cell1'])
        result['readOnlyUser'] = {'user': user, 'password': password, 'sqlalchemyUrls': ro_urls,
                                  'novaConfPath': ro_conf}
    timings['total'] = _since(started)
    result['timings'] = timings
    return result


# ---------------------------------------------------------------------------------------------
# mutate: live changes, written as Nova writes them

def find_host_cell(ctxt, host):
    """The cell whose database holds the host's services (host mapping first, else every cell)."""
    from nova import context as nova_context
    from nova import exception
    from nova import objects
    from nova.db.main import api as db
    try:
        return objects.HostMapping.get_by_host(ctxt, host).cell_mapping
    except exception.HostMappingNotFound:
        pass
    for cell in objects.CellMappingList.get_all(ctxt):
        if cell.is_cell0():
            continue
        with nova_context.target_cell(ctxt, cell) as cctxt:
            if db.service_get_all_by_host(cctxt, host) or db.compute_node_get_all_by_host(cctxt, host):
                return cell
    raise SystemExit('nova-db: host %s is in no cell' % host)


def cell_named(ctxt, name):
    from nova import objects
    for cell in objects.CellMappingList.get_all(ctxt):
        if cell.name == name:
            return cell
    raise SystemExit('nova-db: no cell %s' % name)


def apply_op(ctxt, op):
    from nova import context as nova_context
    from nova import objects
    from nova.db.main import api as db
    from nova.db.main import models
    from oslo_utils import uuidutils

    kind = op['op']
    if kind in ('disableService', 'enableService'):
        cell = find_host_cell(ctxt, op['host'])
        with nova_context.target_cell(ctxt, cell) as cctxt:
            service = objects.Service.get_by_args(cctxt, op['host'], op.get('binary', 'nova-compute'))
            service.disabled = kind == 'disableService'
            service.disabled_reason = op.get('reason') if kind == 'disableService' else None
            service.save()
        return {'id': service.id}
    if kind == 'addComputeNode':
        cell = cell_named(ctxt, op['cell']) if op.get('cell') else find_host_cell(ctxt, op['node']['host'])
        values = column_values(models.ComputeNode, op['node'])
        # As the ComputeNode object's create() does when the driver gave no uuid.
        values.setdefault('uuid', uuidutils.generate_uuid())
        with nova_context.target_cell(ctxt, cell) as cctxt:
            ref = db.compute_node_create(cctxt, values)
        return {'id': ref['id'], 'uuid': ref['uuid'], 'cell': cell.name}
    if kind == 'addService':
        cell = cell_named(ctxt, op['cell'])
        with nova_context.target_cell(ctxt, cell) as cctxt:
            ref = db.service_create(cctxt, column_values(models.Service, op['service']))
        return {'id': ref['id'], 'cell': cell.name}
    if kind == 'setAggregateMetadata':
        key = op['aggregate']
        aggregate = (objects.Aggregate.get_by_id(ctxt, key) if isinstance(key, int)
                     else objects.Aggregate.get_by_uuid(ctxt, key) if re.match(r'^[0-9a-f-]{36}$', key)
                     else next(a for a in objects.AggregateList.get_all(ctxt) if a.name == key))
        aggregate.update_metadata(op['metadata'])  # a null value deletes the key
        return {'id': aggregate.id}
    if kind in ('addAggregateHost', 'removeAggregateHost'):
        aggregate = objects.Aggregate.get_by_id(ctxt, op['aggregate'])
        (aggregate.add_host if kind == 'addAggregateHost' else aggregate.delete_host)(op['host'])
        return {'id': aggregate.id}
    if kind == 'softDelete':
        cell = cell_named(ctxt, op['cell'])
        with nova_context.target_cell(ctxt, cell) as cctxt:
            if op['table'] == 'services':
                db.service_destroy(cctxt, op['id'])
            elif op['table'] == 'compute_nodes':
                db.compute_node_delete(cctxt, op['id'])
            elif op['table'] == 'instances':
                db.instance_destroy(cctxt, op['uuid'])
            else:
                raise SystemExit('nova-db: softDelete of %s' % op['table'])
        return {}
    if kind == 'updateCell':  # nova-manage cell_v2 update_cell --database_connection
        from nova.cmd import manage
        cell = cell_named(ctxt, op['cell'])
        code = manage.CellV2Commands().update_cell(cell.uuid, transport_url=cell.transport_url,
                                                  db_connection=op['databaseConnection'])
        if code != 0:
            raise SystemExit('nova-db: update_cell %s answered %s' % (op['cell'], code))
        return {}
    if kind == 'removeHostMapping':
        objects.HostMapping.get_by_host(ctxt, op['host']).destroy()
        return {}
    if kind == 'addHostMapping':
        objects.HostMapping(ctxt, host=op['host'], cell_mapping=cell_named(ctxt, op['cell'])).create()
        return {}
    raise SystemExit('nova-db: unknown op %r' % kind)


def mutate(conf_path, ops, verbose=False):
    load_nova(conf_path, verbose)
    from nova import context as nova_context
    ctxt = nova_context.get_admin_context()
    results = [apply_op(ctxt, op) for op in ops]
    dispose_engines()
    return {'results': results}


def drop(spec):
    if spec['dialect'] != 'sqlite':
        drop_databases(spec, database_names(spec))
        drop_read_only_user(spec)
    shutil.rmtree(spec['workdir'], ignore_errors=True)
    return {'dropped': True}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('command', choices=('build', 'mutate', 'drop'))
    parser.add_argument('--spec', required=True, help='JSON file: the build spec, or the ops list for mutate')
    parser.add_argument('--conf', help='nova.conf of a built set (mutate)')
    parser.add_argument('--verbose', action='store_true')
    args = parser.parse_args()
    with open(args.spec) as f:
        spec = json.load(f)
    if args.command == 'build':
        out = build(spec)
    elif args.command == 'mutate':
        out = mutate(args.conf, spec, args.verbose)
    else:
        out = drop(spec)
    _OUT.write(json.dumps(out) + '\n')


if __name__ == '__main__':
    main()
