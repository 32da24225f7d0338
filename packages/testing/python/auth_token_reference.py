"""The real keystonemiddleware auth_token (Debian python3-keystonemiddleware) in front of a trivial WSGI app,
as Nova's API pipeline has it, so that tests can see exactly what it answers and what it passes on.

    /usr/bin/python3 auth_token_reference.py --port 0 --option auth_url=http://127.0.0.1:5000 \
        --option username=… --option password=… [--option NAME=VALUE …]

Every --option goes to auth_token's filter_factory as a paste `[filter:authtoken]` option would (the
`[keystone_authtoken]` options: auth_type, auth_url, username, password, project_name, user_domain_name,
project_domain_name, www_authenticate_uri, service_token_roles_required, token_cache_time, …). With no
auth_type, `password` is used.

stdout's first line: {"ready": true, "port": N, "keystonemiddleware": VERSION}. The server ends when stdin
closes. Behind the middleware, the app answers 200 with a JSON document of what reached it:
  {"headers": {every HTTP_X_* / HTTP_OPENSTACK_* header the app received, by its HTTP name},
   "policy_values": oslo.context's RequestContext.from_environ(environ).to_policy_values() (what Nova's
                    policy checks see)}
Logs go to stderr.
"""

import argparse
import json
import logging
import os
import socketserver
import sys
import threading
from wsgiref import simple_server


def echo_app(environ, start_response):
    from oslo_context import context

    headers = {}
    for key, value in sorted(environ.items()):
        if key.startswith('HTTP_X_') or key.startswith('HTTP_OPENSTACK_'):
            headers['-'.join(p.capitalize() for p in key[5:].split('_'))] = value
    values = context.RequestContext.from_environ(environ).to_policy_values()
    body = json.dumps({'headers': headers, 'policy_values': dict(values)}, sort_keys=True,
                      default=str).encode()
    start_response('200 OK', [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])
    return [body]


class QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write('%s - %s\n' % (self.address_string(), fmt % args))


class ThreadingWSGIServer(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--option', action='append', default=[], metavar='NAME=VALUE')
    args = parser.parse_args()
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format='%(asctime)s %(levelname)s %(name)s %(message)s')

    import pbr.version
    from keystonemiddleware import auth_token

    options = dict(o.split('=', 1) for o in args.option)
    options.setdefault('auth_type', 'password')
    app = auth_token.filter_factory({}, **options)(echo_app)

    server = simple_server.make_server('127.0.0.1', args.port, app, server_class=ThreadingWSGIServer,
                                       handler_class=QuietHandler)

    def watch_stdin():
        while os.read(0, 4096):
            pass
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    print(json.dumps({'ready': True, 'port': server.server_port,
                      'keystonemiddleware': pbr.version.VersionInfo('keystonemiddleware').version_string()}),
          flush=True)
    server.serve_forever()


if __name__ == '__main__':
    main()
