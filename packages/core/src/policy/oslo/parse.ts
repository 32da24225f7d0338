import { type Either, left, right } from 'fp-ts/lib/Either.js';
import { ALWAYS, type Check, type GenericKind, NEVER, type Template, type TemplatePiece } from './ast.js';

/** A check string that cannot be used; `column` is 1-based in the check string when known. */
export interface CheckSyntaxError {
  readonly message: string;
  readonly column?: number;
}

type TokenType = '(' | ')' | 'and' | 'or' | 'not' | 'string' | 'check';
interface Token {
  readonly type: TokenType;
  readonly text: string;
  readonly column: number;
}

class SyntaxFailure extends Error {
  constructor(readonly detail: CheckSyntaxError) {
    super(detail.message);
  }
}

const fail = (message: string, column?: number): never => {
  throw new SyntaxFailure(column === undefined ? { message } : { message: `${message} at column ${column}`, column });
};

/**
 * oslo_policy/_parser.py `_parse_tokenize`: split on whitespace; leading `(` and trailing `)` of each piece
 * are tokens of their own (a `%(name)s` inside a check never starts or ends it); `and`/`or`/`not` are
 * keywords in any case; a piece quoted at both ends is a string, which no rule accepts.
 */
const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/\S+/gu)) {
    let piece = m[0];
    let column = m.index! + 1;
    while (piece.startsWith('(')) {
      tokens.push({ type: '(', text: '(', column });
      piece = piece.slice(1);
      column += 1;
    }
    if (piece === '') continue;
    const clean = piece.replace(/\)+$/u, '');
    const trailing = piece.length - clean.length;
    if (clean !== '') {
      const lowered = clean.toLowerCase();
      if (lowered === 'and' || lowered === 'or' || lowered === 'not') tokens.push({ type: lowered, text: clean, column });
      else if (piece.length >= 2 && (piece[0] === '"' || piece[0] === "'") && piece.at(-1) === piece[0]) {
        tokens.push({ type: 'string', text: piece, column });
      } else tokens.push({ type: 'check', text: clean, column });
    }
    for (let i = 0; i < trailing; i++) tokens.push({ type: ')', text: ')', column: column + clean.length + i });
  }
  return tokens;
};

/**
 * `%(name)s` substitution as Python's `match % target` does it: `%%` is a literal `%`. Other conversions
 * (`%(x)d`, widths, a lone `%`) make Python raise something other than the KeyError oslo catches, so they
 * are refused here rather than failing at request time.
 */
export const parseTemplate = (match: string, column?: number): Template => {
  const pieces: TemplatePiece[] = [];
  let text = '';
  for (let i = 0; i < match.length; i++) {
    const ch = match[i]!;
    if (ch !== '%') {
      text += ch;
      continue;
    }
    if (match[i + 1] === '%') {
      text += '%';
      i += 1;
      continue;
    }
    const sub = /^%\(([^)]*)\)s/u.exec(match.slice(i));
    if (sub === null) fail(`unsupported substitution in "${match}": only %(name)s and %% are allowed`, column);
    if (text !== '') pieces.push({ text });
    text = '';
    pieces.push({ key: sub![1]! });
    i += sub![0].length - 1;
  }
  if (text !== '' || pieces.length === 0) pieces.push({ text });
  return pieces;
};

/**
 * The left side of a generic check. oslo tries `ast.literal_eval(kind)` first: a literal is compared as
 * `str(literal)`; anything else is a dotted path into the credentials. Only the literals people write
 * (`True`, `False`, `None`, integers, simple quoted strings) are modelled; other literal-looking kinds
 * are refused instead of being guessed.
 */
const parseGenericKind = (kind: string, column?: number): GenericKind => {
  if (kind === 'True' || kind === 'False' || kind === 'None') return { literal: kind };
  if (/^[-+]?(0|[1-9][0-9]*)$/u.test(kind)) return { literal: BigInt(kind).toString() };
  const q = kind[0];
  if ((q === "'" || q === '"') && kind.length >= 2 && kind.at(-1) === q) {
    const inner = kind.slice(1, -1);
    if (!inner.includes(q) && !inner.includes('\\')) return { literal: inner };
  }
  if (/^[0-9'"[\]{}()+\-.]/u.test(kind) || /\s/u.test(kind) || kind === '') {
    fail(`unsupported left-hand side "${kind}" (literals: True, False, None, integers, 'quoted strings')`, column);
  }
  return { path: kind.split('.') };
};

/** oslo_policy/_parser.py `_parse_check`: one `kind:match` atom, `@` or `!`. */
const parseAtom = (text: string, column?: number): Check => {
  if (text === '!') return NEVER;
  if (text === '@') return ALWAYS;
  if (text.startsWith('[')) return fail(`"${text}" looks like the legacy list form, which is a YAML/JSON list, not a string`, column);
  const colon = text.indexOf(':');
  if (colon < 0) return fail(`"${text}" is not a check: expected kind:match, "@" or "!"`, column);
  const kind = text.slice(0, colon);
  const match = text.slice(colon + 1);
  switch (kind) {
    case 'rule':
      return { type: 'rule', name: match };
    case 'role':
      return { type: 'role', match, template: parseTemplate(match, column) };
    case 'is_admin':
      return { type: 'is_admin', match, expected: match.toLowerCase() === 'true' };
    case 'http':
    case 'https':
      return fail(`remote "${kind}:" checks are not supported`, column);
    default:
      return { type: 'generic', kind, left: parseGenericKind(kind, column), match, template: parseTemplate(match, column) };
  }
};

/** Recursive descent with oslo's precedence: not > and > or; parentheses group. */
class Parser {
  private pos = 0;

  constructor(private readonly tokens: ReadonlyArray<Token>) {}

  parse(): Check {
    const check = this.or();
    const extra = this.tokens[this.pos];
    if (extra !== undefined) this.unexpected(extra);
    return check;
  }

  private or(): Check {
    return this.chain('or', () => this.and());
  }

  private and(): Check {
    return this.chain('and', () => this.unary());
  }

  /** operand (op operand)*, as one n-ary node. */
  private chain(op: 'and' | 'or', operand: () => Check): Check {
    const checks = [operand()];
    while (this.peek()?.type === op) {
      this.pos += 1;
      checks.push(operand());
    }
    return checks.length === 1 ? checks[0]! : { type: op, checks };
  }

  private unary(): Check {
    const token = this.next();
    switch (token.type) {
      case 'not':
        return { type: 'not', check: this.unary() };
      case '(': {
        const inner = this.or();
        const close = this.peek();
        if (close === undefined) fail(`missing ")" to close "(" opened at column ${token.column}`);
        if (close!.type !== ')') this.unexpected(close!);
        this.pos += 1;
        return inner;
      }
      case 'check':
        return parseAtom(token.text, token.column);
      case 'string':
        return fail(`quoted string ${token.text} is not a check`, token.column);
      default:
        return this.unexpected(token);
    }
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (token === undefined) {
      const last = this.tokens[this.pos - 1];
      return fail(last === undefined ? 'empty check string' : `unexpected end of check string after "${last.text}"`);
    }
    this.pos += 1;
    return token;
  }

  private unexpected(token: Token): never {
    return fail(`unexpected token "${token.text}"`, token.column);
  }
}

const attempt = (run: () => Check): Either<CheckSyntaxError, Check> => {
  try {
    return right(run());
  } catch (e) {
    if (e instanceof SyntaxFailure) return left(e.detail);
    throw e;
  }
};

/**
 * Parses oslo.policy's text syntax. The empty string allows everyone (oslo's TrueCheck); a string of only
 * whitespace is refused (oslo would silently deny).
 */
export const parseCheckString = (text: string): Either<CheckSyntaxError, Check> =>
  attempt(() => (text === '' ? ALWAYS : new Parser(tokenize(text)).parse()));

/**
 * The legacy list form `[["a", "b"], ["c"]]` = `(a and b) or c` (oslo `_parse_list_rule`): each element is
 * one atom, not an expression; a bare string stands for a one-element list; empty inner lists are skipped;
 * `[]` allows everyone and a list of only empty lists denies everyone.
 */
export const parseListRule = (value: ReadonlyArray<unknown>): Either<CheckSyntaxError, Check> =>
  attempt(() => {
    if (value.length === 0) return ALWAYS;
    const alternatives: Check[] = [];
    value.forEach((inner, i) => {
      const atoms = typeof inner === 'string' ? [inner] : inner;
      if (!Array.isArray(atoms)) return fail(`list form: element ${i + 1} must be a string or a list of strings`);
      if (atoms.length === 0) return;
      const checks = atoms.map((atom: unknown, j) => {
        if (typeof atom !== 'string') return fail(`list form: element ${i + 1}.${j + 1} must be a string`);
        if (atom === '') return fail(`list form: element ${i + 1}.${j + 1} is empty`);
        return parseAtom(atom);
      });
      alternatives.push(checks.length === 1 ? checks[0]! : { type: 'and', checks });
    });
    if (alternatives.length === 0) return NEVER;
    return alternatives.length === 1 ? alternatives[0]! : { type: 'or', checks: alternatives };
  });

/** A rule's value as it appears in a policy file: a check string or the legacy list form. */
export const parseRuleValue = (value: unknown): Either<CheckSyntaxError, Check> => {
  if (typeof value === 'string') return parseCheckString(value);
  if (Array.isArray(value)) return parseListRule(value);
  if (value === null || value === undefined) {
    return left({ message: 'no check string (oslo would allow everyone); write "" to allow everyone or "!" to deny everyone' });
  }
  return left({ message: `the value must be a check string, not ${typeof value} ${JSON.stringify(value)}` });
};
