import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { microversionBucket, redactSecrets, redactUrl } from '../src/index.js';

const secret = fc.stringMatching(/^[A-Za-z0-9!$%^*()_+~-]{6,24}$/);
const user = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);

describe('redactSecrets', () => {
  it('drops the password of any connection URL, wherever it sits in a message', () => {
    fc.assert(fc.property(fc.constantFrom('postgres', 'postgresql', 'mysql', 'redis', 'https'), user, secret, fc.string(), fc.string(), (scheme, u, pw, before, after) => {
      const text = `${before.replace(/[:@]/g, '')} ${scheme}://${u}:${pw}@db.example:5432/nova ${after.replace(/[:@]/g, '')}`;
      const out = redactSecrets(text);
      expect(out).not.toContain(`:${pw}@`);
      expect(out).toContain(`${scheme}://${u}:***@db.example:5432/nova`);
    }));
  });

  it('drops password= pairs and auth tokens', () => {
    expect(redactSecrets('host=db user=nova password=s3cr3t dbname=nova')).toBe('host=db user=nova password=*** dbname=nova');
    expect(redactSecrets('{"X-Auth-Token": "gAAAAABsecret"}')).not.toContain('gAAAAABsecret');
    expect(redactSecrets('token=abc&x=1')).toBe('token=***&x=1');
  });

  it('leaves ordinary messages alone', () => {
    expect(redactSecrets('connect ECONNREFUSED 127.0.0.1:5432')).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  });
});

describe('redactUrl', () => {
  it('keeps scheme, host, port and database; never user-info or query', () => {
    expect(redactUrl('postgres://nova:pw@db:5432/nova?sslpassword=x')).toBe('postgres://db:5432/nova');
    expect(redactUrl('mysql://root@127.0.0.1:3306/nova')).toBe('mysql://127.0.0.1:3306/nova');
    expect(redactUrl('sqlite:/var/lib/osh.db')).toBe('sqlite:/var/lib/osh.db');
  });
});

describe('microversionBucket', () => {
  it('cuts where the answers change shape', () => {
    const bucket = (minor: number) => microversionBucket({ major: 2, minor });
    expect([1, 32, 33, 52, 53, 87, 88, 93].map(bucket)).toEqual(['<2.33', '<2.33', '2.33-2.52', '2.33-2.52', '2.53-2.87', '2.53-2.87', '>=2.88', '>=2.88']);
    expect(microversionBucket(null)).toBe('none');
  });
});
