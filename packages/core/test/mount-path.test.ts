import { describe, expect, it } from 'vitest';
import { coreRequestFromUrl, isUnderMountPath } from '../src/index.js';

const split = (url: string, mountPath?: string) => {
  const r = coreRequestFromUrl({ method: 'get', url, headers: {}, ...(mountPath === undefined ? {} : { mountPath }) });
  return { scriptName: r.scriptName, path: r.path, query: r.query };
};

describe('the mount path, split off as WSGI splits SCRIPT_NAME from PATH_INFO', () => {
  it('goes to scriptName, the rest (raw) to path', () => {
    expect(split('/compute/v2.1/os-hypervisors?limit=1', '/compute')).toEqual({ scriptName: '/compute', path: '/v2.1/os-hypervisors', query: 'limit=1' });
    expect(split('/compute/v2.1/a%2Fb/search', '/compute/')).toEqual({ scriptName: '/compute', path: '/v2.1/a%2Fb/search', query: '' });
    expect(split('/compute', '/compute')).toEqual({ scriptName: '/compute', path: '/', query: '' });
    expect(split('/compute?x=1', '/compute')).toEqual({ scriptName: '/compute', path: '/', query: 'x=1' });
    expect(split('http://proxy.example/compute/v2.1', '/compute')).toEqual({ scriptName: '/compute', path: '/v2.1', query: '' });
  });

  it('no mount, the root, or a path outside the mount: no scriptName', () => {
    expect(split('/v2.1/os-hypervisors')).toEqual({ scriptName: undefined, path: '/v2.1/os-hypervisors', query: '' });
    expect(split('/v2.1', '/')).toEqual({ scriptName: undefined, path: '/v2.1', query: '' });
    expect(split('/computer/v2.1', '/compute')).toEqual({ scriptName: undefined, path: '/computer/v2.1', query: '' });
  });

  it('isUnderMountPath: the mount itself or below it, segment-wise', () => {
    expect(isUnderMountPath('/compute', '/compute')).toBe(true);
    expect(isUnderMountPath('/compute/x?y', '/compute')).toBe(true);
    expect(isUnderMountPath('/computer', '/compute')).toBe(false);
    expect(isUnderMountPath('/anything', '')).toBe(true);
    expect(isUnderMountPath('/anything', undefined)).toBe(true);
  });
});
