import type { InstanceRow } from '../model/dataset.js';

/**
 * `Instance.name` (nova/objects/instance.py): `[DEFAULT] instance_name_template` applied to the
 * instance's integer id (`instance-%08x` -> `instance-0000002a`), or to `{id, uuid}` for `%(name)s` forms.
 */
export const instanceName = (template: string, instance: Pick<InstanceRow, 'id' | 'uuid'>): string => {
  const named = template.includes('%(');
  return template.replace(/%(?:\((\w+)\))?(0?)(\d*)([sdixX%])/g, (_all, key: string | undefined, zero: string, width: string, conv: string) => {
    if (conv === '%') return '%';
    const value = named ? (key === 'uuid' ? instance.uuid : key === 'id' ? instance.id : '') : instance.id;
    let text = typeof value === 'number' && (conv === 'x' || conv === 'X') ? value.toString(16) : String(value);
    if (conv === 'X') text = text.toUpperCase();
    const w = width === '' ? 0 : Number(width);
    return text.padStart(w, zero === '0' && conv !== 's' ? '0' : ' ');
  });
};
