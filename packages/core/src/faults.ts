import type { PyJson } from './json/py-json.js';

/**
 * A Nova fault as a value: `{"<key>": {"code": N, "message": "..."}}` (nova/api/openstack/wsgi.py
 * `Fault`). Handlers return these; nothing throws them.
 */
export interface Fault {
  readonly status: number;
  readonly message: string;
  /** Copied into the body as `retryAfter` for 413/429, as Nova does. */
  readonly retryAfter?: string;
}

/** `Fault._fault_names`; every status not listed is `computeFault` (406, 410, 500, …). */
const FAULT_NAMES: Readonly<Record<number, string>> = {
  400: 'badRequest', 401: 'unauthorized', 403: 'forbidden', 404: 'itemNotFound', 405: 'badMethod',
  409: 'conflictingRequest', 413: 'overLimit', 415: 'badMediaType', 429: 'overLimit',
  501: 'notImplemented', 503: 'serviceUnavailable',
};

export const faultKey = (status: number): string => FAULT_NAMES[status] ?? 'computeFault';

export const faultBody = (fault: Fault): PyJson => {
  const inner: Record<string, PyJson> = { code: fault.status, message: fault.message };
  if (fault.retryAfter !== undefined && (fault.status === 413 || fault.status === 429)) inner.retryAfter = fault.retryAfter;
  return { [faultKey(fault.status)]: inner };
};

export const fault = (status: number, message: string): Fault => ({ status, message });

// Messages Nova sends, in one place (nova/api/openstack/compute/hypervisors.py and webob defaults).
export const NOT_FOUND_MESSAGE = 'The resource could not be found.';
export const WEBOB_BAD_REQUEST = 'The server could not comply with the request since it is either malformed or otherwise incorrect.';
export const NOT_IMPLEMENTED_MESSAGE = 'The requested functionality is not supported.';
const UNEXPECTED = 'Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.';

export const faults = {
  notFound: (): Fault => fault(404, NOT_FOUND_MESSAGE),
  /** webob's `HTTPGone` text, as Nova would word it had it kept the spec's 410. */
  gone: (): Fault => fault(410, 'This resource is no longer available. No forwarding address is given.'),
  forbiddenByPolicy: (rule: string): Fault => fault(403, `Policy doesn't allow ${rule} to be performed.`),
  hypervisorNotFound: (id: string): Fault => fault(404, `Hypervisor with ID '${id}' could not be found.`),
  invalidUuid: (id: string): Fault => fault(400, `Invalid uuid ${id}`),
  noHypervisorMatching: (pattern: string): Fault => fault(404, `No hypervisor matching '${pattern}' could be found.`),
  /** nova.exception.HostMappingNotFound; Python prints a missing host as `None`. */
  hostNotMapped: (host: string | null | undefined): Fault => fault(404, `Host '${host ?? 'None'}' is not mapped to any cell`),
  markerNotFound: (marker: string): Fault => fault(400, `marker [${marker}] not found`),
  pagingWithPattern: (): Fault => fault(400, WEBOB_BAD_REQUEST),
  computeUnavailable: (host: string): Fault => fault(400, `Compute service of ${host} is unavailable at this time.`),
  notImplemented: (): Fault => fault(501, NOT_IMPLEMENTED_MESSAGE),
  projectMismatch: (url: string, ctx: string | null): Fault =>
    fault(400, `Malformed request URL: URL's project_id '${url}' doesn't match Context's project_id '${ctx ?? 'None'}'`),
  badVersionFormat: (v: string): Fault => fault(400, `API Version String ${v} is of invalid format. Must be of format MajorNum.MinorNum.`),
  versionNotSupported: (v: string, min: string, max: string): Fault =>
    fault(406, `Version ${v} is not supported by the API. Minimum is ${min} and maximum is ${max}.`),
  unsupportedMediaType: (): Fault => fault(415, 'Unsupported Content-Type'),
  malformedBody: (): Fault => fault(400, 'Malformed request body'),
  aggregateNotFound: (id: string): Fault => fault(404, `Aggregate ${id} could not be found.`),
  /** Nova's 500 names the Python exception class; we name the equivalent condition. */
  unexpected: (pythonClass: string): Fault => fault(500, `${UNEXPECTED}\n<class '${pythonClass}'>`),
  storageUnavailable: (): Fault => fault(503, 'The hypervisor database is unavailable. Please try again later.'),
};
