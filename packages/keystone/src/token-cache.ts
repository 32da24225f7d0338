import { hash } from 'node:crypto';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { SharedTokenCache } from '@os-hypervisors/core';
import { TokenIdentity } from './token-body.js';
import type { TokenVerdict } from './token-validator.js';

/** The key a token is shared under: its SHA-256, so a shared cache never holds a token itself. */
export const sharedCacheKey = (token: string, allowExpired: boolean): string =>
  hash('sha256', token, 'hex') + (allowExpired ? ':allow-expired' : '');

interface Entry {
  readonly verdict: TokenVerdict;
  /** Epoch ms after which the entry is gone. */
  readonly until: number;
}

const SharedEntry = t.type({
  until: t.number,
  verdict: t.union([t.type({ valid: t.literal(true), identity: TokenIdentity }), t.type({ valid: t.literal(false) })]),
});

export interface TokenCacheOptions {
  /** Most tokens kept in memory; the least recently used goes first (default 10,000). */
  readonly size?: number;
  /** keystonemiddleware's `token_cache_time`: longest a valid token's verdict is trusted, seconds (default 300). */
  readonly tokenCacheTime?: number;
  /** How long an invalid token's verdict is kept, seconds (default 10): garbage does not reach Keystone each time. */
  readonly invalidTokenCacheTime?: number;
  /** Shared with other replicas (e.g. @os-hypervisors/cache-redis); consulted after memory, before Keystone. */
  readonly shared?: SharedTokenCache;
  readonly now: () => number;
}

export interface TokenCacheStats {
  /** Questions put to Keystone (each distinct token once per cache lifetime, whatever the concurrency). */
  keystoneValidations: number;
  memoryHits: number;
  sharedHits: number;
  /** Requests that waited for a validation another request had already started. */
  coalesced: number;
}

/**
 * In this process's memory a verdict is found by the token itself (a request already holds it; hashing
 * every request would cost more than the rest of the lookup), by its SHA-256 in the shared cache only.
 */
const memoryKey = (token: string, allowExpired: boolean): string => (allowExpired ? `allow-expired:${token}` : token);

/**
 * Token verdicts, bounded and timed: a valid token's entry lives until the earlier of its expiry and
 * `tokenCacheTime`, an invalid one's `invalidTokenCacheTime`; a failure to ask Keystone is never cached.
 * Concurrent requests with the same new token share one validation (single flight).
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<TokenVerdict>>();
  private readonly size: number;
  private readonly validMs: number;
  private readonly invalidMs: number;
  readonly stats: TokenCacheStats = { keystoneValidations: 0, memoryHits: 0, sharedHits: 0, coalesced: 0 };

  constructor(private readonly options: TokenCacheOptions) {
    this.size = options.size ?? 10_000;
    this.validMs = (options.tokenCacheTime ?? 300) * 1000;
    this.invalidMs = (options.invalidTokenCacheTime ?? 10) * 1000;
  }

  /** The verdict in memory, without waiting for anything; refreshes its recency. */
  peek(key: string): TokenVerdict | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.until <= this.options.now()) return undefined;
    this.entries.set(key, entry);
    this.stats.memoryHits += 1;
    return entry.verdict;
  }

  /** From memory, else the shared cache, else `validate` (once for all concurrent callers of that token). */
  get(token: string, allowExpired: boolean, validate: () => Promise<TokenVerdict>): TokenVerdict | Promise<TokenVerdict> {
    const key = memoryKey(token, allowExpired);
    const cached = this.peek(key);
    if (cached !== undefined) return cached;
    const running = this.inFlight.get(key);
    if (running !== undefined) {
      this.stats.coalesced += 1;
      return running;
    }
    const flight = this.fill(key, () => sharedCacheKey(token, allowExpired), validate).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, flight);
    return flight;
  }

  clear(): void {
    this.entries.clear();
  }

  private async fill(key: string, sharedKey: () => string, validate: () => Promise<TokenVerdict>): Promise<TokenVerdict> {
    const hashed = this.options.shared === undefined ? '' : sharedKey();
    const shared = await this.readShared(hashed);
    if (shared !== undefined) {
      this.stats.sharedHits += 1;
      this.remember(key, shared);
      return shared.verdict;
    }
    this.stats.keystoneValidations += 1;
    const verdict = await validate();
    const now = this.options.now();
    const until = verdict.valid ? Math.min(verdict.identity.expiresAt, now + this.validMs) : now + this.invalidMs;
    const entry: Entry = { verdict, until };
    this.remember(key, entry);
    if (this.options.shared !== undefined && until > now) {
      await this.options.shared.set(hashed, JSON.stringify(entry), Math.max(1, Math.ceil((until - now) / 1000))).catch(() => undefined);
    }
    return verdict;
  }

  private async readShared(key: string): Promise<Entry | undefined> {
    if (this.options.shared === undefined) return undefined;
    let text: string | null;
    try {
      text = await this.options.shared.get(key);
    } catch {
      return undefined;
    }
    if (text === null) return undefined;
    try {
      const decoded = SharedEntry.decode(JSON.parse(text));
      if (isLeft(decoded) || decoded.right.until <= this.options.now()) return undefined;
      return decoded.right;
    } catch {
      return undefined;
    }
  }

  private remember(key: string, entry: Entry): void {
    if (entry.until <= this.options.now()) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.size) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
