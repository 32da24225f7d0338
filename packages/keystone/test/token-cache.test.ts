import { describe, expect, it } from 'vitest';
import { TokenCache } from '../src/token-cache.js';
import { INVALID, type TokenVerdict } from '../src/token-validator.js';

// The cache's own rules, with a validation function that counts its calls (the real Keystone behind it
// is exercised in packages/server/test/keystone/keystone-auth.test.ts).

const identity = (expiresAt: number) => ({
  expiresAt, userId: 'u', userDomainId: 'default', projectId: 'p', projectDomainId: 'default', domainId: null,
  roles: ['reader'], systemScope: null, isAdminProject: false, accessRestricted: false,
});

describe('TokenCache', () => {
  it('keeps an invalid verdict for invalidTokenCacheTime, a valid one until the earlier of expiry and tokenCacheTime', async () => {
    let now = 1_000_000;
    const cache = new TokenCache({ now: () => now, tokenCacheTime: 300, invalidTokenCacheTime: 10 });
    let calls = 0;
    const invalid = async (): Promise<TokenVerdict> => { calls += 1; return INVALID; };
    await cache.get('bad', false, invalid);
    await cache.get('bad', false, invalid);
    expect(calls).toBe(1);
    now += 10_001;
    await cache.get('bad', false, invalid);
    expect(calls).toBe(2);
    const soon = async (): Promise<TokenVerdict> => { calls += 1; return { valid: true, identity: identity(now + 5_000) }; };
    await cache.get('short', false, soon);
    now += 4_000;
    expect(cache.peek('short')).toBeDefined();
    now += 1_001;
    expect(cache.peek('short')).toBeUndefined();
  });

  it('never caches a failure to ask', async () => {
    const cache = new TokenCache({ now: () => 0 });
    let calls = 0;
    const failing = async (): Promise<TokenVerdict> => { calls += 1; throw new Error('down'); };
    await expect(cache.get('t', false, failing)).rejects.toThrow('down');
    await expect(cache.get('t', false, failing)).rejects.toThrow('down');
    expect(calls).toBe(2);
  });
});
