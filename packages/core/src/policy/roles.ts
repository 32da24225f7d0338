/**
 * Implied roles: role -> the roles it directly implies. Keystone's defaults (keystone-manage bootstrap)
 * are admin -> member -> reader; Keystone puts implied roles into the token, so policy sees them as held.
 */
export type ImpliedRoles = Readonly<Record<string, ReadonlyArray<string>>>;

export const KEYSTONE_IMPLIED_ROLES: ImpliedRoles = { admin: ['member'], member: ['reader'] };

/**
 * The roles as a token carrying them would list them: the given ones (spelling kept) followed by every
 * role they imply, transitively. Role names compare case-insensitively, as oslo's `role:` check does.
 */
export const expandImpliedRoles = (roles: ReadonlyArray<string>, implied: ImpliedRoles = KEYSTONE_IMPLIED_ROLES): string[] => {
  const seen = new Set<string>();
  const out: string[] = [];
  const queue = [...roles];
  while (queue.length > 0) {
    const role = queue.shift()!;
    const key = role.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(role);
    queue.push(...(implied[key] ?? []));
  }
  return out;
};
