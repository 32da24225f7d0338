"""The real keystonemiddleware auth_token (Debian's python3-keystonemiddleware), in front of an app that
answers with the caller as oslo.context reads it, for each request case read from stdin.

stdin:  {"conf": {auth_token options}, "cases": [{"name", "method", "path", "headers"}]}
stdout: [{"name", "status", "headers": [[k, v]], "body", "context": {...} | null}]
"""
import json
import logging
import sys

logging.disable(logging.CRITICAL)

import webob  # noqa: E402
from keystonemiddleware import auth_token  # noqa: E402
from oslo_context import context  # noqa: E402


def app(environ, start_response):
    ctx = context.RequestContext.from_environ(environ)
    seen = {
        'userId': ctx.user_id, 'projectId': ctx.project_id, 'roles': ctx.roles, 'systemScope': ctx.system_scope,
        'domainId': ctx.domain_id, 'userDomainId': ctx.user_domain_id, 'projectDomainId': ctx.project_domain_id,
        'isAdminProject': ctx.is_admin_project,
        'service': None if ctx.service_user_id is None else {
            'userId': ctx.service_user_id, 'userDomainId': ctx.service_user_domain_id,
            'projectId': ctx.service_project_id, 'projectDomainId': ctx.service_project_domain_id,
            'roles': ctx.service_roles,
        },
    }
    start_response('200 OK', [('Content-Type', 'application/json')])
    return [json.dumps(seen).encode()]


def main():
    spec = json.load(sys.stdin)
    middleware = auth_token.AuthProtocol(app, spec['conf'])
    out = []
    for case in spec['cases']:
        req = webob.Request.blank(case.get('path', '/v2.1/os-hypervisors'), method=case.get('method', 'GET'),
                                  headers=case.get('headers', {}))
        resp = req.get_response(middleware)
        ok = resp.status_int == 200
        out.append({
            'name': case['name'], 'status': resp.status_int, 'headers': [[k, v] for k, v in resp.headerlist],
            'body': '' if ok else resp.body.decode('utf-8'), 'context': json.loads(resp.body) if ok else None,
        })
    json.dump(out, sys.stdout)


main()
