import type { LogEvent } from 'kysely';

/**
 * Counts the statements sent to the database (kysely's log hook sees every one, including failed ones
 * and transaction control), so tests can assert that a call costs a bounded number of queries.
 */
export class QueryCounter {
  private statements: string[] = [];

  /** Pass as kysely's `log` option. */
  readonly record = (event: LogEvent): void => {
    this.statements.push(event.query.sql);
  };

  get count(): number {
    return this.statements.length;
  }

  /** The SQL of the statements counted since the last reset, for messages when a count is off. */
  get sql(): ReadonlyArray<string> {
    return this.statements;
  }

  reset(): void {
    this.statements = [];
  }
}
