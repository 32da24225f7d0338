import { type Either, left, right } from 'fp-ts/lib/Either.js';
import { parseDocument } from 'yaml';
import type { PolicyLoadError } from './errors.js';

/** An operator's `policy.yaml` / `policy.json` text (oslo.policy format: `"rule name": "check string"`). */
export interface PolicyFileText {
  readonly text: string;
  readonly format: 'yaml' | 'json';
  /** Shown in messages (a file name); `policy file` when absent. */
  readonly source?: string;
}

/** One entry of the file, in file order; the value is a check string or the legacy list form. */
export interface PolicyFileEntry {
  readonly name: string;
  readonly value: unknown;
}

const firstLine = (message: string): string => message.split('\n')[0]!.replace(/:\s*$/u, '');

/**
 * The file's entries. oslo reads both formats with a YAML loader; JSON is checked strictly first so a
 * JSON file gets JSON's error messages. Repeated keys are errors (a YAML or JSON loader would silently
 * keep the last one).
 */
export const readPolicyFile = (file: PolicyFileText): Either<PolicyLoadError[], PolicyFileEntry[]> => {
  const source = file.source ?? 'policy file';
  const fileError = (detail: string): PolicyLoadError => ({ code: 'file', message: `${source}: ${detail}` });
  if (file.format === 'json') {
    try {
      JSON.parse(file.text);
    } catch (e) {
      return left([fileError(`invalid JSON: ${(e as Error).message}`)]);
    }
  }
  const doc = parseDocument(file.text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) return left(doc.errors.map((e) => fileError(firstLine(e.message))));
  const content: unknown = doc.toJS();
  if (content === null || content === undefined) return right([]);
  if (typeof content !== 'object' || Array.isArray(content)) {
    return left([fileError(`expected a mapping of rule names to check strings, found ${Array.isArray(content) ? 'a list' : typeof content}`)]);
  }
  return right(Object.entries(content as Record<string, unknown>).map(([name, value]) => ({ name, value })));
};
