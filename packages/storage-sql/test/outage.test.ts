import { describe, expect, it } from 'vitest';
import { isOutage } from '../src/connection/classify-fault.js';
import { DeadlineExceeded } from '../src/connection/deadline.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

// What may start degraded (an outage that ends by itself) and what must stop the start (a mistake).
describe('isOutage', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN', 'PROTOCOL_CONNECTION_LOST', 'ER_SERVER_SHUTDOWN', '57P03', '53300'])('%s is an outage', (code) => {
    expect(isOutage(withCode(code))).toBe(true);
  });
  it('as the drivers wrap it: a dual-stack AggregateError, a cause chain, pg\'s bare message, a connection wait', () => {
    expect(isOutage(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]))).toBe(true);
    expect(isOutage(new Error('database migration failed', { cause: withCode('ECONNRESET') }))).toBe(true);
    expect(isOutage(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isOutage(new DeadlineExceeded('connection', 400))).toBe(true);
  });
  it.each([
    ['a refused login (PostgreSQL)', withCode('28P01')],
    ['an unknown role (PostgreSQL)', withCode('28000')],
    ['a refused login (MySQL)', withCode('ER_ACCESS_DENIED_ERROR')],
    ['an unknown host name', withCode('ENOTFOUND')],
    ['a missing database', withCode('3D000')],
    ['a statement that ran too long', new DeadlineExceeded('query', 400)],
    ['a SQL error', withCode('42P01', 'relation does not exist')],
  ])('%s is not', (_what, error) => {
    expect(isOutage(error)).toBe(false);
  });
});
