/**
 * `cell_mappings.database_connection` may be a template filled from `[database] connection`
 * (nova/objects/cell_mapping.py `_format_url`): `{scheme}`, `{username}`, `{password}`, `{hostname}`,
 * `{port}`, `{path}`, `{query}`, `{fragment}`. Without `[database] connection`, or when the default
 * cannot be parsed, the URL is used as written, as Nova does.
 */
export const formatCellUrl = (url: string, defaultUrl: string | undefined): string => {
  if (defaultUrl === undefined || !url.includes('{')) return url;
  const m = /^([^:]+):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d+))?(\/[^?#]*)?(?:\?([^#]*))?(?:#(.*))?$/s.exec(defaultUrl);
  if (m === null) return url;
  const subs: Record<string, string> = {
    scheme: m[1] ?? '',
    // Python's urlparse hands back None for a missing part; str.format prints it as `None`.
    username: m[2] ?? 'None',
    password: m[3] ?? 'None',
    hostname: (m[4] ?? '').replace(/^\[|\]$/g, '').toLowerCase() || 'None',
    port: m[5] ?? 'None',
    path: (m[6] ?? '').replace(/^\/+/, ''),
    query: m[7] ?? '',
    fragment: m[8] ?? '',
  };
  let failed = false;
  const formatted = url.replace(/\{(\w*)\}/g, (whole, name: string) => {
    const value = subs[name];
    if (value === undefined) failed = true;
    return value ?? whole;
  });
  return failed ? url : formatted;
};
