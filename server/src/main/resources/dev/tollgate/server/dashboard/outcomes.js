// Why a value is what it is, in words: a rule's condition ("organization plan is Pro"), an outcome label from the
// SDKs' logs ("rule:pro", "fallback:NO_MATCH") and a fallback's cause. The labels stay in tooltips and Details.
import { enumWords, format, lowerFirst, words } from './ui.js';
import { state } from './state.js';

function valueWords(value) {
  if (typeof value === 'string') return /^[A-Z][A-Z0-9_]*$/.test(value) ? enumWords(value) : `“${value}”`;
  return format(value);
}

function listWords(values, joiner) {
  const all = values.map(valueWords);
  return all.length < 2 ? all.join('') : `${all.slice(0, -1).join(', ')} ${joiner} ${all[all.length - 1]}`;
}

const OPS = {
  eq: 'is', ne: 'is not', lt: 'is below', lte: 'is at most', gt: 'is above', gte: 'is at least',
  startsWith: 'starts with', endsWith: 'ends with', contains: 'contains', matches: 'matches the pattern',
  before: 'is before', after: 'is after', semverEq: 'is version', semverLt: 'is a version below',
  semverLte: 'is version', semverGt: 'is a version above', semverGte: 'is version',
};
const OR_LATER = { semverLte: ' or earlier', semverGte: ' or later' };

/**
 * A condition of the logic in words: {attribute: "context.organization.plan", op: "in", value: ["PRO", "ENTERPRISE"]}
 * -> "organization plan is Pro or Enterprise"; groups join with "and"/"or", nested ones in parentheses.
 */
export function conditionWords(condition, nested = false) {
  if (!condition || typeof condition !== 'object') return 'always';
  const group = (parts, joiner) => {
    const text = parts.map((c) => conditionWords(c, true)).join(` ${joiner} `);
    return nested && parts.length > 1 ? `(${text})` : text;
  };
  if (Array.isArray(condition.all)) return group(condition.all, 'and');
  if (Array.isArray(condition.any)) return group(condition.any, 'or');
  if (condition.not !== undefined) return `not ${conditionWords(condition.not, true)}`;
  if (typeof condition.segment === 'string') return `in the segment “${condition.segment}”`;
  const subject = lowerFirst(words(condition.attribute || '?'));
  if (condition.op === 'in') return `${subject} is ${listWords(condition.value || [], 'or')}`;
  if (condition.op === 'notIn') return `${subject} is neither ${listWords(condition.value || [], 'nor')}`;
  const op = OPS[condition.op] || condition.op;
  return `${subject} ${op} ${valueWords(condition.value)}${OR_LATER[condition.op] || ''}`;
}

/** The rule `id` of a field's logic (or of the logic of a field enclosing it), or undefined. */
function findRule(path, id) {
  const fields = (state.logic && state.logic.fields) || {};
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const rule = ((fields[p] && fields[p].rules) || []).find((r) => r.id === id);
    if (rule) return rule;
  }
  return undefined;
}

/** A rule of the logic in words: "when organization plan is Pro", "for everyone", "a split of everyone". */
export function ruleText(rule) {
  if (rule.split) return `a split of ${rule.if ? 'those where ' + conditionWords(rule.if) : 'everyone'}`;
  return rule.if ? `when ${conditionWords(rule.if)}` : 'for everyone';
}

/** Rule `id` of the field in words (see ruleText), or, for a rule no longer in the logic, its id. */
export function ruleWords(path, id) {
  const rule = findRule(path, id);
  return rule ? ruleText(rule) : `“${id}” (no longer in the logic)`;
}

const FALLBACKS = {
  NOT_READY: 'the service had no logic loaded yet',
  UNKNOWN_FIELD: 'the service\'s schema has no such entitlement',
  NO_LOGIC: 'there is no logic for this entitlement',
  NO_MATCH: 'no rule matched and there is no default',
  TYPE_MISMATCH: 'the code asked for a different type of value',
  MISSING_CONTEXT_ATTRIBUTE: 'the service did not send an attribute the logic needs',
  INVALID_ARGUMENTS: 'the code passed arguments the entitlement does not take',
  EVALUATION_ERROR: 'the evaluation failed (the service logged the error)',
};

/** Why the caller's fallback answered, in words; the cause's name for one this page does not know. */
export function fallbackWords(cause) {
  return FALLBACKS[cause] || cause;
}

/**
 * An outcome label of the SDKs' logs in words, for the field it was counted on: "default" -> "Default",
 * "rule:pro" -> "Rule: when organization plan is Pro", "split:rollout:B" -> "Split “rollout”, arm B",
 * "fallback:NO_MATCH" -> "Fallback: no rule matched and there is no default".
 */
export function outcomeWords(path, label) {
  const [kind, ...rest] = label.split(':');
  switch (kind) {
    case 'default': return 'Default';
    case 'override': return 'Override';
    case 'rule': return `Rule: ${ruleWords(path, rest.join(':'))}`;
    case 'split': return `Split “${rest.slice(0, -1).join(':')}”, arm ${rest[rest.length - 1]}`;
    case 'fallback': return `Fallback: ${fallbackWords(rest.join(':'))}`;
    default: return label;
  }
}
