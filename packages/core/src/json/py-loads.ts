import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { OrderedObject, PyNumber, type PyJson } from './py-json.js';
import { pyFloatRepr } from './py-float.js';

/**
 * Python's `json.loads` for values that are dumped again (Nova's 2.28+ `cpu_info`): keeps object key
 * order (a repeated key keeps its first position and takes the last value, as a dict assignment does),
 * integers as exact digits and floats as Python would print them. Accepts Python's NaN/Infinity.
 */
export const pyLoads = (text: string): Either<string, PyJson> => {
  const p = new Parser(text);
  try {
    p.ws();
    const value = p.value();
    p.ws();
    if (p.i !== text.length) return left(p.err('Extra data'));
    return right(value);
  } catch (e) {
    return left(e instanceof ParseError ? e.message : String(e));
  }
};

class ParseError extends Error {}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  err(msg: string): string {
    return `${msg}: char ${this.i}`;
  }

  private fail(msg: string): never {
    throw new ParseError(this.err(msg));
  }

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i]!)) this.i++;
  }

  value(): PyJson {
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    for (const [word, v] of WORDS) if (this.s.startsWith(word, this.i)) { this.i += word.length; return v; }
    return this.number();
  }

  private object(): OrderedObject {
    this.i++;
    const keys: string[] = [];
    const values = new Map<string, PyJson>();
    this.ws();
    if (this.s[this.i] === '}') { this.i++; return new OrderedObject([]); }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('Expecting property name enclosed in double quotes');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("Expecting ':' delimiter");
      this.i++;
      this.ws();
      const v = this.value();
      if (!values.has(key)) keys.push(key);
      values.set(key, v);
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') break;
      if (c !== ',') this.fail("Expecting ',' delimiter");
    }
    return new OrderedObject(keys.map((k) => [k, values.get(k)!] as const));
  }

  private array(): PyJson[] {
    this.i++;
    const items: PyJson[] = [];
    this.ws();
    if (this.s[this.i] === ']') { this.i++; return items; }
    for (;;) {
      this.ws();
      items.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return items;
      if (c !== ',') this.fail("Expecting ',' delimiter");
    }
  }

  private string(): string {
    // JSON.parse handles escapes exactly as Python's strict decoder does for valid input.
    const start = this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\') this.i += 2;
      else if (c === '"') break;
      else if (c! < ' ') this.fail('Invalid control character');
      else this.i++;
    }
    if (this.i >= this.s.length) this.fail('Unterminated string');
    this.i++;
    try {
      return JSON.parse(this.s.slice(start, this.i)) as string;
    } catch {
      this.fail('Invalid \\escape');
    }
  }

  private number(): PyNumber {
    NUMBER_RE.lastIndex = this.i;
    const m = NUMBER_RE.exec(this.s);
    if (m === null) this.fail('Expecting value');
    this.i += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      // Python ints are exact; `-0` is just 0.
      return new PyNumber(/^-0+$/.test(m[0]) ? '0' : m[0]);
    }
    return new PyNumber(pyFloatRepr(Number(m[0])));
  }
}

const WORDS: ReadonlyArray<readonly [string, PyJson]> = [
  ['null', null], ['true', true], ['false', false],
  ['NaN', new PyNumber('NaN')], ['Infinity', new PyNumber('Infinity')], ['-Infinity', new PyNumber('-Infinity')],
];
