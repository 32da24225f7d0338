import fc from 'fast-check';
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { pyDumps, pyFloatRepr, pyLoads } from '../src/index.js';

// Expected strings were produced by CPython 3.11's json module and repr() (Debian's python3).
describe('Python-compatible JSON', () => {
  it.each([
    [0.1, '0.1'], [1.0, '1.0'], [2.5, '2.5'], [1e16, '1e+16'], [1.5e16, '1.5e+16'], [1e-5, '1e-05'],
    [0.0001, '0.0001'], [123456789.125, '123456789.125'], [1e21, '1e+21'], [-0.0, '-0.0'], [3.14159, '3.14159'],
    [1e15, '1000000000000000.0'], [9999999999999998.0, '9999999999999998.0'], [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'], [0.3333333333333333, '0.3333333333333333'], [100.0, '100.0'], [-2.0, '-2.0'],
  ])('repr(float(%s)) is %s', (n, text) => {
    expect(pyFloatRepr(n)).toBe(text);
  });

  it.each([
    ['{"arch": "x86_64", "10": 1, "2": 2.0, "a": [1, 2.50, -0, 1E3, 12345678901234567890]}', '{"arch": "x86_64", "10": 1, "2": 2.0, "a": [1, 2.5, 0, 1000.0, 12345678901234567890]}'],
    ['{"b":1,"a":{"z":null,"y":true},"b":3}', '{"b": 3, "a": {"z": null, "y": true}}'],
    ['{"s": "caf\\u00e9 \\ud83d\\ude00 \\/ \\n"}', '{"s": "caf\\u00e9 \\ud83d\\ude00 / \\n"}'],
    ['[]', '[]'],
    ['""', '""'],
    ['{"x": 1e400}', '{"x": Infinity}'],
  ])('json.dumps(json.loads(%s))', (text, expected) => {
    const parsed = pyLoads(text);
    expect(isRight(parsed)).toBe(true);
    if (isRight(parsed)) expect(pyDumps(parsed.right)).toBe(expected);
  });

  it('escapes like ensure_ascii', () => {
    expect(pyDumps({ k: 'é😀\u007f\u0001/"\\' })).toBe('{"k": "\\u00e9\\ud83d\\ude00\\u007f\\u0001/\\"\\\\"}');
  });

  it.each(['{', '{"a" 1}', '[1,]', 'tru', '{"a": 1} x', "{'a': 1}", '01'])('rejects %s', (text) => {
    expect(isRight(pyLoads(text))).toBe(false);
  });

  it('round-trips any JSON value JSON.stringify writes, with the same meaning', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed = pyLoads(JSON.stringify(value));
        if (!isRight(parsed)) return false;
        // Python separators differ from JSON.stringify's, but the value read back must be equal.
        expect(JSON.parse(pyDumps(parsed.right).replace(/\bInfinity\b/g, '1e999'))).toEqual(JSON.parse(JSON.stringify(value)));
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
