#!/usr/bin/python3
"""Nova Zed's own os-hypervisors API, in-process, over one of our Nova-shaped datasets.

A differential-testing oracle and a benchmark baseline. It runs Nova's real code (Debian's
python3-nova, run with /usr/bin/python3); nothing of Nova is copied here, only wired together:

- Configuration: oslo.config with defaults, `[api] auth_strategy = noauth2`, SQLite files in a
  temporary directory for the API database and one cell database (cell0 gets an empty copy).
- Schema: Nova's own migrations (`nova.db.migration.db_sync`), cached per Nova version as an SQL
  dump so later start-ups skip the migrations.
- Data: the dataset's rows go into Nova's tables under their own column names (services,
  compute_nodes, instances in the cell; aggregates, their hosts and metadata in the API database).
  Every host gets a host mapping to cell1, so no node is "unmapped" (we do not model cells).
- Clock: `oslo_utils.timeutils.set_time_override(--now)`, so up/down is decided at our fixed time.
- Uptime: the one RPC Nova makes here, `ComputeAPI.get_host_uptime`, answers from the dataset's
  `services.uptime`, or raises NotImplementedError when `uptime_not_implemented` is set or no uptime
  is given (as our default provider). `HostAPI`'s own checks (service exists, is up) stay Nova's.
- WSGI: the `osapi_compute` composite of Zed's etc/nova/api-paste.ini with its `noauth2` pipelines,
  composed from Nova's own middleware classes (the ini file is not shipped by python3-nova). Callers
  authenticate as noauth2 expects: `X-Auth-Token: admin:<project id>`. Zed's default policy applies.

Protocol (default mode): one JSON request per stdin line, `{"method", "path", "headers"}` where path
may carry a `?query`; one JSON line per response on stdout, `{"status", "headers": [[k, v], ...],
"body"}`. The first stdout line is `{"ready": true, "nova": <version>}`. Everything else Nova prints
goes to stderr.

`--bench N` times a few requests N times each and prints ms/op as one JSON object.

`--nova-conf FILE` (instead of building databases): Nova runs over EXISTING databases, as an API
node configured by that nova.conf would (`[api_database] connection`, the cells as mapped in its
`cell_mappings`, hosts as mapped in `host_mappings`, nothing created, nothing written). Made for the
two-cell databases of packages/testing (buildNovaDatabases). `--dataset` is then optional and only
answers the uptime RPC; `--db-max-retries` bounds oslo.db's connection retries (default 10 x 10 s)
so a cell whose database is down fails fast.
"""

import argparse
import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import warnings

# Keep stdout for the protocol: Nova, oslo and eventlet may print; send all of that to stderr.
_PROTOCOL_OUT = os.fdopen(os.dup(1), 'w', buffering=1, encoding='utf-8')
os.dup2(2, 1)
sys.stdout = sys.stderr
warnings.simplefilter('ignore')

CELL1_UUID = '11111111-1111-4111-8111-111111111111'


def parse_time(value):
    """Dataset timestamps: ISO-8601 UTC, no zone (a trailing Z is tolerated); Nova stores naive UTC."""
    if value is None:
        return None
    text = value[:-1] if value.endswith('Z') else value
    parsed = datetime.datetime.fromisoformat(text)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return parsed


def configure_nova(workdir, args):
    """As nova-api's wsgi_app does (nova.config.parse_args), minus config files and services."""
    from nova import config
    import nova.conf
    from oslo_log import log as logging

    conf = nova.conf.CONF
    # rpc.init registers the transport options (cell mappings read transport_url); no message is
    # ever sent, the one RPC used here is stubbed (stub_uptime_rpc).
    if args.nova_conf:
        config.parse_args(['nova-oracle', '--config-file', args.nova_conf], default_config_files=[],
                          configure_db=False)
    else:
        config.parse_args(['nova-oracle'], default_config_files=[], configure_db=False)
    conf.set_override('auth_strategy', args.auth, group='api')
    if not args.nova_conf:
        conf.set_override('connection', 'sqlite:///%s/cell1.db' % workdir, group='database')
        conf.set_override('connection', 'sqlite:///%s/api.db' % workdir, group='api_database')
    if args.db_max_retries is not None:
        conf.set_override('max_retries', args.db_max_retries, group='database')
        conf.set_override('max_retries', args.db_max_retries, group='api_database')
        conf.set_override('retry_interval', 1, group='database')
        conf.set_override('retry_interval', 1, group='api_database')
    if args.service_down_time is not None:
        conf.set_override('service_down_time', args.service_down_time)
    if args.max_limit is not None:
        conf.set_override('max_limit', args.max_limit, group='api')
    logging.setup(conf, 'nova')
    if not args.verbose:
        # Nova logs a warning per RPC client it builds at start-up; only errors matter here.
        import logging as pylogging
        pylogging.disable(pylogging.WARNING)
    return conf


def schema_cache_path():
    import nova.version
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    key = hashlib.sha256(nova.version.version_string_with_package().encode()).hexdigest()[:12]
    return os.path.join(base, 'os-hypervisors-nova-oracle', key)


def create_schemas(workdir):
    """Nova's migrations for the API and the cell database, or their cached dumps."""
    from nova.db.api import api as api_db_api
    from nova.db.main import api as main_db_api
    from nova.db import migration

    cache = schema_cache_path()
    dumps = {name: os.path.join(cache, name + '.sql') for name in ('api', 'cell1')}
    if all(os.path.exists(p) for p in dumps.values()):
        for name, dump in dumps.items():
            with sqlite3.connect(os.path.join(workdir, name + '.db')) as db, open(dump) as f:
                db.executescript(f.read())
    else:
        migration.db_sync(database='api')
        migration.db_sync(database='main')
        # Drop the engines the migrations opened so the files are complete on disk before dumping.
        api_db_api.get_engine().dispose()
        main_db_api.get_engine().dispose()
        try:
            os.makedirs(cache, exist_ok=True)
            for name, dump in dumps.items():
                with sqlite3.connect(os.path.join(workdir, name + '.db')) as db:
                    text = '\n'.join(db.iterdump())
                tmp = dump + '.%d.tmp' % os.getpid()
                with open(tmp, 'w') as f:
                    f.write(text)
                os.replace(tmp, dump)
        except OSError as e:
            print('nova-oracle: schema cache not written: %s' % e, file=sys.stderr)
    # cell0 holds no compute nodes; an empty copy of the cell schema before any row goes in.
    shutil.copyfile(os.path.join(workdir, 'cell1.db'), os.path.join(workdir, 'cell0.db'))


def live(row):
    return not row.get('deleted')


def table_row(table, row, overrides=None):
    """The dataset row restricted to the table's columns, timestamps parsed, booleans as booleans."""
    import sqlalchemy as sa
    values = {}
    for col in table.columns:
        if col.name not in row:
            continue
        value = row[col.name]
        if value is not None and isinstance(col.type, sa.DateTime):
            value = parse_time(value)
        elif value is not None and isinstance(col.type, sa.Boolean):
            value = bool(value)
        values[col.name] = value
    # Nova soft-deletes by setting `deleted` to the row id, which keeps its unique keys apart.
    if 'deleted' in values:
        values['deleted'] = row['id'] if row.get('deleted') else 0
    values.update(overrides or {})
    return values


def load_dataset(workdir, dataset):
    import sqlalchemy as sa
    from nova import context as nova_context
    from nova.db.api import models as api_models
    from nova.db.main import models as main_models
    from nova import objects

    cell_engine = sa.create_engine('sqlite:///%s/cell1.db' % workdir)
    with cell_engine.begin() as db:
        for row in dataset.get('services', []):
            db.execute(main_models.Service.__table__.insert().values(
                **table_row(main_models.Service.__table__, row)))
        for row in dataset.get('compute_nodes', []):
            db.execute(main_models.ComputeNode.__table__.insert().values(
                **table_row(main_models.ComputeNode.__table__, row)))
        for row in dataset.get('instances', []):
            db.execute(main_models.Instance.__table__.insert().values(
                **table_row(main_models.Instance.__table__, row)))
    cell_engine.dispose()

    api_engine = sa.create_engine('sqlite:///%s/api.db' % workdir)
    with api_engine.begin() as db:
        for agg in dataset.get('aggregates', []):
            if not live(agg):
                continue  # the API database hard-deletes aggregates
            db.execute(api_models.Aggregate.__table__.insert().values(
                **table_row(api_models.Aggregate.__table__, agg)))
            for host in agg.get('hosts', []):
                db.execute(api_models.AggregateHost.__table__.insert().values(
                    host=host, aggregate_id=agg['id']))
            metadata = dict(agg.get('metadata') or {})
            # Nova keeps an aggregate's zone as its `availability_zone` metadata key.
            if agg.get('availability_zone') is not None:
                metadata.setdefault('availability_zone', agg['availability_zone'])
            for key, value in metadata.items():
                db.execute(api_models.AggregateMetadata.__table__.insert().values(
                    key=key, value=value, aggregate_id=agg['id']))
    api_engine.dispose()

    ctxt = nova_context.get_admin_context()
    objects.CellMapping(ctxt, uuid=objects.CellMapping.CELL0_UUID, name='cell0',
                        transport_url='fake:/',
                        database_connection='sqlite:///%s/cell0.db' % workdir).create()
    cell1 = objects.CellMapping(ctxt, uuid=CELL1_UUID, name='cell1', transport_url='fake:/',
                                database_connection='sqlite:///%s/cell1.db' % workdir)
    cell1.create()
    hosts = {r['host'] for r in dataset.get('services', []) if live(r) and r.get('host')}
    hosts |= {r['host'] for r in dataset.get('compute_nodes', []) if live(r) and r.get('host')}
    for host in sorted(hosts):
        objects.HostMapping(ctxt, host=host, cell_mapping=cell1).create()


def stub_uptime_rpc(dataset):
    """Answer Nova's `get_host_uptime` RPC from the dataset, as our default uptime provider does."""
    from nova.compute import rpcapi as compute_rpcapi

    by_host = {}
    for svc in dataset.get('services', []):
        if live(svc) and svc.get('binary') == 'nova-compute':
            by_host[svc['host']] = svc

    def get_host_uptime(self, ctxt, host):
        svc = by_host.get(host) or {}
        if svc.get('uptime_not_implemented') or svc.get('uptime') is None:
            raise NotImplementedError()
        return svc['uptime']

    compute_rpcapi.ComputeAPI.get_host_uptime = get_host_uptime


def build_app(auth_strategy='noauth2', authtoken_options=None):
    """Zed's etc/nova/api-paste.ini `[composite:osapi_compute]` with `auth_strategy = noauth2`, or its
    `keystone` pipelines (`authtoken keystonecontext` in place of `noauth2`; `authtoken_options` are the
    `[keystone_authtoken]` options, given to keystonemiddleware as paste options).

    The same filter and app factories that paste would call, in the same order (first = outermost).
    """
    import oslo_middleware
    from oslo_middleware import cors
    from oslo_middleware import http_proxy_to_wsgi

    from nova.api import compute_req_id
    from nova.api import openstack as openstack_api
    from nova.api.openstack import auth
    from nova.api.openstack import compute
    from nova.api.openstack.compute import versions
    from nova.api.openstack import requestlog
    from nova.api.openstack import urlmap
    from nova import profiler

    g = {}  # paste's global_conf: the ini's [DEFAULT] section is empty
    filters = {
        'cors': cors.filter_factory(g, oslo_config_project='nova'),
        'http_proxy_to_wsgi': http_proxy_to_wsgi.HTTPProxyToWSGI.factory(g),
        'compute_req_id': compute_req_id.ComputeReqIdMiddleware.factory(g),
        'faultwrap': openstack_api.FaultWrapper.factory(g),
        'request_log': requestlog.RequestLog.factory(g),
        'sizelimit': oslo_middleware.RequestBodySizeLimiter.factory(g),
        'osprofiler': profiler.WsgiMiddleware.factory(g),
        'noauth2': auth.NoAuthMiddleware.factory(g),
        'legacy_v2_compatible': openstack_api.LegacyV2CompatibleWrapper.factory(g),
    }
    if auth_strategy == 'keystone':
        from keystonemiddleware import auth_token
        from nova.api import auth as nova_auth
        filters['authtoken'] = auth_token.filter_factory(g, **(authtoken_options or {}))
        filters['keystonecontext'] = nova_auth.NovaKeystoneContext.factory(g)
    auth_filters = 'authtoken keystonecontext' if auth_strategy == 'keystone' else 'noauth2'

    def pipeline(names, app):
        for name in reversed(names.split()):
            app = filters[name](app)
        return app

    router = compute.APIRouterV21.factory(g)
    mapper = urlmap.URLMap()
    mapper['/'] = pipeline('cors faultwrap request_log http_proxy_to_wsgi',
                           versions.Versions.factory(g))
    mapper['/v2'] = pipeline(
        'cors compute_req_id faultwrap request_log http_proxy_to_wsgi legacy_v2_compatible',
        versions.VersionsV2.factory(g))
    mapper['/v2.1'] = pipeline('cors compute_req_id faultwrap request_log http_proxy_to_wsgi',
                               versions.VersionsV2.factory(g))
    mapper['/v2/+'] = pipeline(
        'cors http_proxy_to_wsgi compute_req_id faultwrap request_log sizelimit osprofiler '
        + auth_filters + ' legacy_v2_compatible', router)
    mapper['/v2.1/+'] = pipeline(
        'cors http_proxy_to_wsgi compute_req_id faultwrap request_log sizelimit osprofiler '
        + auth_filters, router)
    return mapper


def call(app, request):
    """One request through the WSGI app, as a WSGI server would hand it over."""
    import webob

    path = request.get('path', '/')
    headers = request.get('headers') or {}
    if isinstance(headers, dict):
        headers = list(headers.items())
    environ = {'REQUEST_METHOD': request.get('method', 'GET'), 'SERVER_NAME': 'localhost',
               'SERVER_PORT': '80', 'wsgi.url_scheme': 'http', 'REMOTE_ADDR': '127.0.0.1'}
    req = webob.Request.blank(path, environ=environ)
    # blank() invents Host: localhost:80; a request names its own or goes without.
    req.environ.pop('HTTP_HOST', None)
    # Mounted below a path (devstack's /compute): WSGI's SCRIPT_NAME, the path being PATH_INFO below it.
    if request.get('script_name'):
        req.environ['SCRIPT_NAME'] = request['script_name']
    for name, value in headers:
        key = name.upper().replace('-', '_')
        if key == 'CONTENT_TYPE' or key == 'CONTENT_LENGTH':
            req.environ[key] = value
        else:
            wsgi_key = 'HTTP_' + key
            # A repeated header arrives joined with ", " as WSGI servers do.
            if wsgi_key in req.environ:
                req.environ[wsgi_key] += ', ' + value
            else:
                req.environ[wsgi_key] = value
    resp = req.get_response(app)
    return {
        'status': resp.status_int,
        'headers': [[k, v] for k, v in resp.headerlist],
        'body': resp.body.decode('utf-8', 'backslashreplace'),
    }


def serve(app):
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            out = call(app, json.loads(line))
        except Exception as e:  # the oracle's own failure, not Nova's answer
            out = {'error': '%s: %s' % (type(e).__name__, e)}
        _PROTOCOL_OUT.write(json.dumps(out) + '\n')


def listen(app, port):
    """Serve the app over HTTP on 127.0.0.1:port (0: a free one), one request at a time, until stdin
    closes; the ready line names the port."""
    from wsgiref import simple_server
    try:
        from eventlet import patcher
        select, real_os = patcher.original('select'), patcher.original('os')
    except ImportError:
        import select
        real_os = os

    class Handler(simple_server.WSGIRequestHandler):
        def log_message(self, fmt, *args):
            sys.stderr.write('%s\n' % (fmt % args))

    class Server(simple_server.WSGIServer):
        # Nova runs under eventlet, where a thread blocked reading stdin would block every other one:
        # serve_forever polls stdin between requests instead (closed stdin = the caller is gone).
        def service_actions(self):
            if select.select([0], [], [], 0)[0] and not real_os.read(0, 4096):
                raise KeyboardInterrupt

    server = simple_server.make_server('127.0.0.1', port, app, server_class=Server, handler_class=Handler)
    _PROTOCOL_OUT.write(json.dumps({'ready': True, 'nova': _nova_version(),
                                    'port': server.server_port}) + '\n')
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    server.server_close()


def bench(app, dataset, iterations, project_id):
    """Each request once untimed (its body's sha256 is reported, to check both sides send the same
    bytes), then `iterations` times timed."""
    nodes = sorted((n for n in dataset.get('compute_nodes', []) if live(n)), key=lambda n: n['id'])
    show_id = nodes[len(nodes) // 2]['uuid'] if nodes else 'missing'
    cases = [
        ('list 2.53', '/v2.1/os-hypervisors', '2.53'),
        ('detail 2.53', '/v2.1/os-hypervisors/detail', '2.53'),
        ('list 2.88', '/v2.1/os-hypervisors', '2.88'),
        ('detail 2.88', '/v2.1/os-hypervisors/detail', '2.88'),
        ('show 2.88', '/v2.1/os-hypervisors/%s' % show_id, '2.88'),
    ]
    results = {}
    for name, path, version in cases:
        request = {'method': 'GET', 'path': path, 'headers': {
            'Host': 'bench', 'X-Auth-Token': 'admin:%s' % project_id,
            'OpenStack-API-Version': 'compute %s' % version}}
        first = call(app, request)
        if first['status'] != 200:
            raise SystemExit('bench request %s answered %s: %s' % (name, first['status'],
                                                                  first['body'][:300]))
        started = time.perf_counter()
        for _ in range(iterations):
            call(app, request)
        elapsed = time.perf_counter() - started
        results[name] = {'path': path, 'version': version,
                         'ms_per_op': elapsed * 1000.0 / iterations,
                         'sha256': hashlib.sha256(first['body'].encode('utf-8')).hexdigest()}
    _PROTOCOL_OUT.write(json.dumps({'nova': _nova_version(), 'iterations': iterations,
                                    'nodes': len(nodes), 'requests': results}) + '\n')


def _nova_version():
    import nova.version
    return nova.version.version_string()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--dataset', help='Nova-shaped dataset JSON file (required unless --nova-conf)')
    parser.add_argument('--nova-conf', metavar='FILE',
                        help="serve Nova's existing databases named by this nova.conf instead")
    parser.add_argument('--db-max-retries', type=int, metavar='N',
                        help="oslo.db connection retries (1 s apart) before a database counts as down")
    parser.add_argument('--now', required=True,
                        help='frozen UTC time for Nova, ISO-8601 (e.g. 2026-11-22T12:00:00)')
    parser.add_argument('--bench', type=int, metavar='N', help='time each bench request N times')
    parser.add_argument('--project-id', default='6f70656e737461636b20697320636f6f6c',
                        help='project id the bench requests use (hex, as noauth2 routes want)')
    parser.add_argument('--service-down-time', type=int)
    parser.add_argument('--max-limit', type=int)
    parser.add_argument('--verbose', action='store_true', help="Nova's debug log on stderr")
    parser.add_argument('--auth', choices=['noauth2', 'keystone'], default='noauth2',
                        help="[api] auth_strategy and its pipeline (keystone: keystonemiddleware's auth_token)")
    parser.add_argument('--authtoken', action='append', default=[], metavar='NAME=VALUE',
                        help='a [keystone_authtoken] option for --auth keystone (repeatable)')
    parser.add_argument('--listen', type=int, metavar='PORT',
                        help='serve HTTP on 127.0.0.1:PORT (0: any free port) instead of the stdin protocol')
    args = parser.parse_args()
    if not args.dataset and not args.nova_conf:
        parser.error('--dataset is required unless --nova-conf is given')
    if args.bench and not args.dataset:
        parser.error('--bench needs --dataset')

    dataset = {}
    if args.dataset:
        with open(args.dataset) as f:
            dataset = json.load(f)
    workdir = tempfile.mkdtemp(prefix='nova-oracle-')
    try:
        conf = configure_nova(workdir, args)
        from nova.db.api import api as api_db_api
        from nova.db.main import api as main_db_api
        from nova import objects
        from nova import policy
        import nova.version
        objects.register_all()
        main_db_api.configure(conf)
        api_db_api.configure(conf)
        # Frozen before any row goes in, so column defaults (created_at) use the same clock.
        from oslo_utils import timeutils
        timeutils.set_time_override(parse_time(args.now))
        if not args.nova_conf:
            create_schemas(workdir)
            load_dataset(workdir, dataset)
        stub_uptime_rpc(dataset)
        policy.init()

        app = build_app(args.auth, dict(o.split('=', 1) for o in args.authtoken))
        if args.listen is not None:
            listen(app, args.listen)
        elif args.bench:
            bench(app, dataset, args.bench, args.project_id)
        else:
            _PROTOCOL_OUT.write(json.dumps({'ready': True,
                                            'nova': nova.version.version_string()}) + '\n')
            serve(app)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    main()
