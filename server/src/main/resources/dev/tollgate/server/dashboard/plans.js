// Plan defaults: plans x entitlements, derived from the rules that test only the plan attribute. A field whose logic
// is more than that (rules on other attributes, splits, tables keyed by plan) is shown as such, not as a guess.
import { call, fieldPath } from './api.js';
import { el, enumWords, format, openDialog, sentForReview, status, valueInput, words, lowerFirst } from './ui.js';
import { can, leafFields, reloadLogic, state } from './state.js';
import { ruleText } from './outcomes.js';

const $ = (id) => document.getElementById(id);

/** The enum context attribute that names the plan: one called "plan", else the first enum attribute. */
function planAttribute() {
  const enums = state.schema.contextAttributes.filter((a) => a.enumValues && !a.type.startsWith('['));
  return enums.find((a) => /(^|\.)plan$/i.test(a.attribute)) || enums[0];
}

/** The plans a rule's condition selects when it tests only the plan (eq or in); null when it tests anything else. */
function planCondition(condition, plan) {
  if (!condition || condition.attribute !== plan.attribute) return null;
  if (condition.op === 'eq' && typeof condition.value === 'string') return [condition.value];
  if (condition.op === 'in' && Array.isArray(condition.value)) return condition.value.filter((v) => typeof v === 'string');
  return null;
}

/**
 * Reads one field's logic as a row of the matrix: per plan the value and where it comes from. `exact` is false when
 * some rule is not a pure plan rule (its ids are listed in `blocking`) or a table is keyed by the plan.
 */
export function matrixRow(logic, plan) {
  const cells = {};
  const blocking = [];
  const rules = (logic && logic.rules) || [];
  for (const table of (logic && logic.overrides) || []) {
    if (table.by === plan.attribute) blocking.push(`an override table by ${lowerFirst(words(plan.attribute))}`);
  }
  for (const rule of rules) {
    const plans = rule.split ? null : planCondition(rule.if, plan);
    if (plans === null) {
      blocking.push(`the rule “${rule.id}”, ${ruleText(rule)}`);
      continue;
    }
    for (const p of plans) {
      if (!(p in cells)) cells[p] = { value: rule.value, rule: rule.id, after: blocking.length > 0 };
    }
  }
  const hasDefault = logic && Object.prototype.hasOwnProperty.call(logic, 'default');
  return { cells, defaultValue: hasDefault ? logic.default : undefined, exact: blocking.length === 0, blocking };
}

/** The rules after the matrix was edited: rule ids kept where a rule still covers the same plans with one value. */
export function rewriteRules(logic, plan, wanted) {
  const rules = (logic && logic.rules) || [];
  const ids = new Set(rules.map((r) => r.id));
  const unique = (id) => {
    let candidate = id;
    for (let i = 2; ids.has(candidate); i++) candidate = `${id}-${i}`;
    ids.add(candidate);
    return candidate;
  };
  const claimed = new Set();
  const result = [];
  for (const rule of rules) {
    const plans = planCondition(rule.if, plan).filter((p) => !claimed.has(p));
    plans.forEach((p) => claimed.add(p));
    const values = plans.filter((p) => wanted[p] !== undefined).map((p) => JSON.stringify(wanted[p]));
    if (plans.length > 0 && values.length === plans.length && new Set(values).size === 1) {
      result.push({ ...rule, value: wanted[plans[0]] });
      continue;
    }
    for (const p of plans) {
      if (wanted[p] === undefined) continue;
      result.push({ id: unique(`${rule.id}-${p.toLowerCase()}`), if: { attribute: plan.attribute, op: 'eq', value: p },
        value: wanted[p] });
    }
  }
  for (const p of plan.enumValues) {
    if (!claimed.has(p) && wanted[p] !== undefined) {
      result.push({ id: unique(`plan-${p.toLowerCase()}`), if: { attribute: plan.attribute, op: 'eq', value: p },
        value: wanted[p] });
    }
  }
  return result;
}

export async function render() {
  const plan = planAttribute();
  if (!plan) {
    $('plans-body').replaceChildren(el('p', {}, 'The context has no enum attribute such as a plan: there is no matrix to show.'));
    return;
  }
  const plans = plan.enumValues;
  const fields = leafFields();
  const body = fields.map((f) => {
    const logic = state.logic.fields && state.logic.fields[f.path];
    const row = matrixRow(logic, plan);
    const name = words(f.path);
    const cell = (p) => {
      const c = row.cells[p];
      if (c) return el('td', { 'data-plan': p }, format(c.value), c.after ? el('sup', { title: 'only when the rules above do not answer first' }, '*') : null);
      return el('td', { 'data-plan': p, className: 'inherited' }, row.defaultValue === undefined
        ? el('span', { className: 'muted', title: 'no rule and no default: the caller\'s fallback' }, 'fallback')
        : el('span', { title: 'the default' }, format(row.defaultValue)));
    };
    const editable = can('admin') && row.exact;
    return el('tr', { 'data-field': f.path },
      el('th', { scope: 'row' }, name, row.exact ? null : el('span', { className: 'detail' },
        el('br'), `Not only by plan: ${row.blocking.join('; ')}.`)),
      plans.map(cell),
      el('td', { className: 'inherited' }, format(row.defaultValue)),
      can('admin') ? el('td', {}, editable
        ? el('button', { type: 'button', 'aria-label': `Edit plan defaults of ${name}`, onclick: () => edit(f, plan, row) }, 'Edit')
        : el('span', { className: 'muted', title: 'rules on more than the plan: an admin edits this field\'s logic through the admin API' }, 'not by plan')) : null);
  });
  $('plans-body').replaceChildren(...[
    el('p', { className: 'hint' }, `Values per ${lowerFirst(words(plan.attribute))} from the rules that test only the plan, `
      + 'in order; other cells show the default. Per-organization overrides apply on top of these. '
      + 'A * marks a value that holds only when rules on other attributes above it do not answer first.'),
    el('table', { className: 'grid', id: 'matrix' },
      el('caption', { className: 'sr-only' }, 'Plan defaults'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Entitlement'),
        plans.map((p) => el('th', { scope: 'col', 'data-plan': p }, enumWords(p))), el('th', { scope: 'col' }, 'Default'),
        can('admin') ? el('th', { scope: 'col' }, 'Edit') : null)),
      el('tbody', {}, body)),
    can('admin') ? null : el('p', { className: 'hint' }, 'Only admins change plan defaults.')].filter(Boolean));
}

/** What a plan gets from a matrix row or the wanted values: its own value, or the default's, in words. */
function planValue(value, defaultValue) {
  if (value !== undefined) return format(value);
  return defaultValue === undefined ? 'fallback' : `${format(defaultValue)} (default)`;
}

/** The review's lines, one per plan whose value changes and one for the default: "Pro: 20 → 25". */
function reviewLines(plan, row, wanted, wantedDefault) {
  const lines = [];
  for (const p of plan.enumValues) {
    const before = planValue(row.cells[p] ? row.cells[p].value : undefined, row.defaultValue);
    const after = planValue(wanted[p], wantedDefault);
    if (before !== after) lines.push(el('li', { 'data-plan': p }, el('strong', {}, enumWords(p)), `: ${before} → ${after}`));
  }
  if (format(row.defaultValue) !== format(wantedDefault)) {
    lines.push(el('li', { 'data-plan': 'default' }, el('strong', {}, 'Default'),
      `: ${format(row.defaultValue)} → ${format(wantedDefault)}`));
  }
  return lines;
}

/** The field's logic with the wanted plan values and default, on top of its current logic. */
function editedLogic(field, plan, wanted, wantedDefault) {
  const current = (state.logic.fields && state.logic.fields[field.path]) || {};
  const logic = { ...current, rules: rewriteRules(current, plan, wanted) };
  if (wantedDefault === undefined) delete logic.default;
  else logic.default = wantedDefault;
  if (logic.rules.length === 0) delete logic.rules;
  return logic;
}

/**
 * Edits a row of the matrix in two steps, as overrides are: the form, then a review of every plan's old and new value
 * (Back returns to the form, Cancel leaves nothing pending). A plan default changes what every organization on the
 * plan gets, so the review says so; in an environment that requires approval it is sent for review instead.
 */
async function edit(field, plan, row) {
  const name = words(field.path);
  const inputs = plan.enumValues.map((p) => [p, valueInput(`plan-${p}`, { ...field, label: enumWords(p) },
    row.cells[p] ? row.cells[p].value : undefined, { optional: true })]);
  const def = valueInput('plan-default', { ...field, label: 'Default' }, row.defaultValue, { optional: true });
  const message = el('input', { id: 'plan-message', type: 'text', required: true });
  let wanted;
  let wantedDefault;
  let lines;
  let answer;
  for (;;) {
    const edited = await openDialog({
      title: `Plan defaults of ${name}`,
      ok: 'Review',
      body: [
        el('p', { className: 'hint' }, 'Leave a plan empty to give it the default.'),
        inputs.map(([p, i]) => el('div', { className: 'field' }, el('label', { for: `plan-${p}` }, i.label), i.node)),
        el('div', { className: 'field' }, el('label', { for: 'plan-default' }, def.label), def.node),
        el('div', { className: 'field' }, el('label', { for: 'plan-message' }, 'Message for the history'), message),
      ],
      onOk: () => {
        wanted = Object.fromEntries(inputs.map(([p, i]) => [p, i.read()]));
        wantedDefault = def.read();
        if (!message.value.trim()) throw new Error('Say why, for the history (a ticket or a few words).');
        lines = reviewLines(plan, row, wanted, wantedDefault);
        if (lines.length === 0) throw new Error('Nothing changes: change a plan\'s value or the default, or cancel.');
      },
    });
    if (!edited) return;
    const confirmed = await openDialog({
      title: `Confirm the plan defaults of ${name}`,
      ok: state.requireApproval ? 'Send for review' : 'Confirm',
      back: true,
      body: [
        el('p', {}, `Every organization on these plans gets the new ${lowerFirst(name)}, unless it has an override of its own:`),
        el('ul', { className: 'diff', id: 'plan-review' }, lines),
        el('p', { className: 'muted' }, `“${message.value.trim()}”, on top of revision ${state.revision}`),
        state.requireApproval ? el('p', { className: 'hint', id: 'review-note' }, `${state.environment} requires `
          + 'approval: this becomes a change request that another admin approves; nothing changes until then.') : null,
      ],
      onOk: async () => {
        try {
          answer = await call('PUT', fieldPath(state.environment, field.path), {
            body: { logic: editedLogic(field, plan, wanted, wantedDefault), message: message.value.trim() },
            ifMatch: state.revision,
          });
        } catch (e) {
          if (e.status === 409 && e.code === 'revision_mismatch') {
            await reloadLogic();
            throw new Error(`Someone else changed ${state.environment} first (now revision ${state.revision}). `
              + 'Your values are kept: go back to check them against the reloaded matrix, or confirm to apply them.');
          }
          throw e;
        }
      },
    });
    if (confirmed === true) break;
    if (confirmed === false) return;
  }
  if (answer.status === 202) sentForReview(`the plan defaults of ${name}`, answer.body);
  else status(`Saved the plan defaults of ${name}.`);
  await reloadLogic();
  await render();
}
