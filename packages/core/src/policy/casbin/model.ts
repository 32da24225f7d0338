/**
 * The casbin model (what a policy line means), as node-casbin keeps it apart from the policy lines and the
 * enforcer. One line per branch of an oslo rule:
 *
 *   id, grant, check, cond, v0 … vN
 *
 * - `id`: the branch's index in its rule; `grant`: `system` | `project`; `check`: the branch as an oslo
 *   check string (for people reading the lines; the matcher does not use it).
 * - `cond`: the branch's test as a casbin expression (casbin's ABAC "eval" pattern), over the request
 *   `r.creds` (oslo credentials dict), `r.target` and `r.roles` (implied roles included, lower-cased).
 *   It names operator-supplied strings only through `p_v0 … p_vN`, so no operator text is ever parsed as
 *   an expression.
 *
 * The effect takes the first allowing line; lines are ordered system branches first, so the line casbin
 * reports is the widest grant the caller has.
 */
export const policyModelText = (valueColumns: number): string => {
  const values = Array.from({ length: valueColumns }, (_, i) => `, v${i}`).join('');
  return [
    '[request_definition]',
    'r = creds, target, roles',
    '',
    '[policy_definition]',
    `p = id, grant, check, cond${values}`,
    '',
    '[policy_effect]',
    'e = some(where (p.eft == allow))',
    '',
    '[matchers]',
    'm = eval(p.cond)',
    '',
  ].join('\n');
};

/** Fixed columns before the values. */
export const LINE_ID = 0;
export const LINE_GRANT = 1;
export const LINE_CHECK = 2;
export const LINE_COND = 3;
export const LINE_VALUES = 4;
