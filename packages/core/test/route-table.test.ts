import { describe, expect, it } from 'vitest';
import { matchOperation, OPERATIONS, RESPONSE_BODIES, type Operation } from '../src/index.js';

describe('the route table', () => {
  it('each operation\'s path template routes back to it (the OpenAPI paths are the router\'s)', () => {
    for (const operation of Object.keys(OPERATIONS) as Operation[]) {
      const segments = OPERATIONS[operation].path.slice(1).split('/').map((s) => (s.startsWith('{') ? 'x1' : s));
      expect(matchOperation('GET', segments)?.operation, operation).toBe(operation);
    }
  });

  it('the response bodies cover exactly the versions each operation is routed at', () => {
    for (const operation of Object.keys(OPERATIONS) as Operation[]) {
      for (let minor = 1; minor <= 93; minor += 1) {
        const inRange = (r: { min: { minor: number }; max?: { minor: number } }) => r.min.minor <= minor && (r.max === undefined || minor <= r.max.minor);
        expect(RESPONSE_BODIES[operation].filter(inRange).length, `${operation} 2.${minor}`).toBe(OPERATIONS[operation].methods.some(inRange) ? 1 : 0);
      }
    }
  });
});
