/** Why a policy could not be built; every problem is reported, none is skipped. */
export type PolicyLoadErrorCode =
  /** The policy file is not YAML/JSON, not a mapping, or repeats a key. */
  | 'file'
  /** A check string does not parse (the message names the rule and the column). */
  | 'syntax'
  /** A rule name that is neither a rule of this API nor a base rule. */
  | 'unknown-rule'
  /** `rule:` references that lead back to the rule. */
  | 'cycle'
  /** The rule expands to more alternatives than the compiler accepts. */
  | 'too-complex';

export interface PolicyLoadError {
  readonly code: PolicyLoadErrorCode;
  /** The rule concerned, when there is one. */
  readonly rule?: string;
  /** A complete sentence for people: `rule "x": unexpected token ")" at column 12`. */
  readonly message: string;
  /** 1-based column in the rule's check string, for syntax errors. */
  readonly column?: number;
}

/** Legal but probably not what the operator meant (oslo would only log it). */
export interface PolicyWarning {
  readonly rule: string;
  readonly message: string;
}

export const ruleError = (code: PolicyLoadErrorCode, rule: string, detail: string, column?: number): PolicyLoadError => ({
  code,
  rule,
  message: `rule "${rule}": ${detail}`,
  ...(column === undefined ? {} : { column }),
});
