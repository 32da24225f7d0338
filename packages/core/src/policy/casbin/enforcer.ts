import { Enforcer, newModelFromString } from 'casbin';
import type { PolicyRequest } from '../request.js';
import { LINE_ID, policyModelText } from './model.js';
import type { PolicyLine } from './lines.js';

/** The decision casbin made: the index of the branch whose line allowed, or null. */
export type EnforcedBranch = number | null;

/**
 * One casbin enforcer for one oslo rule: the model text (model.ts) with that rule's lines. A request is one
 * `enforceExSync` call over the rule's few lines, never a scan of every rule's lines.
 */
export class RuleEnforcer {
  private readonly enforcer: Enforcer;

  constructor(readonly modelText: string, readonly lines: ReadonlyArray<PolicyLine>) {
    const model = newModelFromString(modelText);
    if (lines.length > 0) model.addPolicies('p', 'p', lines.map((l) => [...l]));
    this.enforcer = new Enforcer();
    // Without an adapter and with lazy loading, initialisation does no I/O and finishes before it returns;
    // the promise is already settled. The check below makes sure that stays true across casbin versions.
    void this.enforcer.initWithModelAndAdapter(model, undefined, true);
    if (this.enforcer.getModel() !== model) throw new Error('casbin enforcer did not initialise synchronously');
  }

  static forLines(lines: ReadonlyArray<PolicyLine>, valueColumns: number): RuleEnforcer {
    return new RuleEnforcer(policyModelText(valueColumns), lines);
  }

  enforce(request: PolicyRequest): EnforcedBranch {
    const [allowed, line] = this.enforcer.enforceExSync(request.creds, request.target, request.roles);
    if (!allowed) return null;
    const id = Number(line[LINE_ID]);
    if (!Number.isInteger(id) || id < 0 || id >= this.lines.length) throw new Error(`casbin allowed through an unknown line ${JSON.stringify(line)}`);
    return id;
  }
}
