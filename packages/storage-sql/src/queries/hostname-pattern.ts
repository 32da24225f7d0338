import { foldAsciiCase } from '@os-hypervisors/storage-memory';
import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** The LIKE escape character; it must itself be escaped in the pattern. */
export const LIKE_ESCAPE = '!';

/** `%<pattern>%` where the user's `%`, `_` and the escape character match only themselves. */
export const likeContaining = (pattern: string): string =>
  `%${foldAsciiCase(pattern).replace(/[!%_]/g, (c) => `${LIKE_ESCAPE}${c}`)}%`;

/**
 * A literal, ASCII case-insensitive substring match on `hypervisor_hostname`. The stored column
 * `hypervisor_hostname_folded` holds the name with A-Z folded, compared exactly in every dialect
 * (lower() would also fold non-ASCII on PostgreSQL, and MySQL's default collations fold accents).
 */
export const hostnameContains = (pattern: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`${sql.ref('n.hypervisor_hostname_folded')} like ${likeContaining(pattern)} escape ${sql.lit(LIKE_ESCAPE)}`;
