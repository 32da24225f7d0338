#!/usr/bin/python3
"""Snapshot of Nova master's os-hypervisors response schemas, for openapi.test.ts to compare with.

Nova master declares a JSON schema for every os-hypervisors response body
(nova/api/openstack/compute/schemas/hypervisors.py) and the microversion range each one applies to
(the @validation.response_body_schema decorators of nova/api/openstack/compute/hypervisors.py). Debian's
python3-nova (Zed) predates them, so this reads a Nova checkout and prints JSON:

    /usr/bin/python3 nova-master-schemas.py /path/to/nova [COMMIT] > nova-master-hypervisors.json

(COMMIT names the checkout's commit when it is not a git work tree of its own.)

Needs Debian's python3-nova for the modules those files import (nova.i18n, nova.objects).
"""
import importlib.util
import json
import os
import re
import subprocess
import sys


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main(checkout):
    import nova.api.validation  # noqa: F401  (Debian's package, for the parent modules)
    load('nova.api.validation.parameter_types', os.path.join(checkout, 'nova/api/validation/parameter_types.py'))
    load('nova.api.validation.response_types', os.path.join(checkout, 'nova/api/validation/response_types.py'))
    schemas = load('nova_master_hypervisor_schemas', os.path.join(checkout, 'nova/api/openstack/compute/schemas/hypervisors.py'))
    with open(os.path.join(checkout, 'nova/api/openstack/compute/hypervisors.py')) as f:
        controller = f.read()
    ranges = []
    method = None
    pending = []
    for line in controller.splitlines():
        m = re.search(r"@validation\.response_body_schema\(schema\.(\w+), '([\d.]+)'(?:, '([\d.]+)')?\)", line)
        if m:
            pending.append((m.group(1), m.group(2), m.group(3)))
            continue
        d = re.match(r'\s+def (\w+)\(self', line)
        if d and pending:
            method = d.group(1)
            for name, lo, hi in pending:
                ranges.append({'method': method, 'schema': name, 'min': lo, 'max': hi})
            pending = []
    commit = sys.argv[2] if len(sys.argv) > 2 else subprocess.run(['git', '-C', checkout, 'rev-parse', 'HEAD'], capture_output=True, text=True).stdout.strip()
    out = {
        'source': 'openstack/nova nova/api/openstack/compute/schemas/hypervisors.py',
        'commit': commit,
        'ranges': ranges,
        'schemas': {r['schema']: getattr(schemas, r['schema']) for r in ranges},
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main(sys.argv[1])
