// Organizations: the effective entitlements of one key (an organization id, or any key the override tables use) for
// a plan, with the reason for each, and setting or clearing that key's override rows.
import { call, env, organizationsPath, overridePath } from './api.js';
import { el, enumWords, format, openDialog, sentForReview, showError, status, typeOf, valueInput, typeWords, words, lowerFirst } from './ui.js';
import { attribute, can, leafFields, overrideEntry, overrideRow, reloadLogic, state } from './state.js';
import {
  dayText, endAfterDays, endOfDate, fromText, untilRelative, untilText, windowPlain, windowState, windowWords,
} from './dates.js';
import { planName, setUp as setUpFinder } from './find.js';
import { fallbackWords, ruleWords } from './outcomes.js';
import { render as renderMeters } from './meters.js';

const $ = (id) => document.getElementById(id);
let lookedUp = null; // {by, key, context, args}
let renders = 0; // the number of the latest render: only it may show its answer
export const KEY = 'context.organization.id'; // the directory's id is this attribute's value
const PLAN = 'context.organization.plan'; // and its plan this one's
let directory = null; // {id, entry}: the directory's row of the key chosen or looked up (entry null: not in it)

/** Attributes an override table can be keyed by: String, Int or enum, not lists. */
function keyAttributes() {
  return state.schema.contextAttributes.filter((a) => {
    const { base, list } = typeOf(a.type);
    return !list && (base === 'String' || base === 'Int' || a.enumValues);
  });
}

function contextInputId(name) {
  return 'ctx-' + name.replace(/[^a-zA-Z0-9]/g, '-');
}

/** Builds the look-up form from the schema: the key, a select per enum attribute (the plan), and the rest. */
export function setUp() {
  const keys = keyAttributes();
  const preferred = keys.find((a) => a.attribute === 'context.organization.id') || keys[0];
  const by = el('select', { id: 'org-by' }, keys.map((a) =>
    el('option', { value: a.attribute, selected: a === preferred }, words(a.attribute))));
  const keyLabel = el('label', { for: 'org-key' }, words(by.value));
  by.addEventListener('change', () => { keyLabel.textContent = words(by.value); });
  const main = [
    el('div', { className: 'field' }, el('label', { for: 'org-by' }, 'Look up by'), by),
    el('div', { className: 'field' }, keyLabel,
      el('input', { id: 'org-key', type: 'text', required: true, spellcheck: 'false', autocomplete: 'off' })),
  ];
  const extra = [];
  for (const a of state.schema.contextAttributes) {
    const id = contextInputId(a.attribute);
    const label = words(a.attribute);
    const input = a.enumValues
      ? el('select', { id, 'data-attribute': a.attribute }, a.enumValues.map((v) => el('option', { value: v }, enumWords(v))))
      : el('input', { id, type: 'text', 'data-attribute': a.attribute, spellcheck: 'false' });
    const box = el('div', { className: 'field', 'data-for': a.attribute }, el('label', { for: id }, label), input);
    (a.enumValues ? main : extra).push(box);
  }
  for (const f of leafFields()) {
    for (const arg of f.arguments) {
      const id = 'arg-' + (f.path + '-' + arg.name).replace(/[^a-zA-Z0-9]/g, '-');
      extra.push(el('div', { className: 'field' },
        el('label', { for: id }, `${words(f.path)}: ${lowerFirst(words(arg.name))}`),
        el('input', { id, type: 'text', 'data-field': f.path, 'data-arg': arg.name, spellcheck: 'false' })));
    }
  }
  $('org-inputs').replaceChildren(...main);
  $('org-extra').replaceChildren(...extra);
  $('org-more').hidden = extra.length === 0;
  const sync = () => {
    // The key's own attribute is not asked twice.
    for (const box of document.querySelectorAll('#org-form [data-for]')) box.hidden = box.dataset.for === by.value;
  };
  by.addEventListener('change', sync);
  sync();
  $('org-form').onsubmit = (event) => {
    event.preventDefault();
    lookUp();
  };
  setUpDirectory();
  lookedUp = null;
  $('org-result').replaceChildren(el('p', { className: 'hint' },
    'Find a customer by name, or enter an organization id and pick a plan, to see what it gets and why.'));
}

function typed(a, text) {
  const { base } = typeOf(a.type);
  if (base === 'Int' || base === 'Float') return text === '' ? 0 : Number(text);
  if (base === 'Boolean') return text === 'true';
  return text;
}

function put(target, dotted, value) {
  const parts = dotted.replace(/^context\./, '').split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = node[part] = node[part] || {};
  node[parts[parts.length - 1]] = value;
}

/** The search box, and the directory note kept up to date as the key and plan change. */
function setUpDirectory() {
  setUpFinder(choose);
  directory = null;
  note();
  const plan = $(contextInputId(PLAN));
  if (plan) plan.addEventListener('change', note);
  $('org-key').addEventListener('input', () => {
    if (directory && directory.id !== $('org-key').value.trim()) {
      directory = null;
      note();
    }
  });
}

/** Opens an organization picked from the directory: its id, plan and attributes in the form, then its entitlements. */
function choose(org) {
  const by = $('org-by');
  if ([...by.options].some((o) => o.value === KEY)) {
    by.value = KEY;
    by.dispatchEvent(new Event('change'));
  }
  $('org-key').value = org.id;
  const plan = $(contextInputId(PLAN));
  if (plan && org.plan !== null) plan.value = org.plan;
  for (const [path, value] of Object.entries(org.attributes || {})) {
    const input = $(contextInputId('context.' + path));
    if (input) input.value = String(value);
  }
  directory = { id: org.id, entry: org };
  note();
  return lookUp();
}

/**
 * Opens the key counted `by` on this page (from the list of who is close to a limit): the directory's row `entry`
 * (null when the key is not in it), with `args` ({path: {argument: value}}) in the arguments the page explains.
 */
export function open(by, key, entry, args) {
  for (const input of document.querySelectorAll('#org-form [data-arg]')) {
    const values = args[input.dataset.field];
    if (values && values[input.dataset.arg] !== undefined) input.value = String(values[input.dataset.arg]);
  }
  if (entry && by === KEY) return choose(entry);
  const select = $('org-by');
  select.value = by;
  select.dispatchEvent(new Event('change'));
  $('org-key').value = key;
  directory = by === KEY ? { id: key, entry: null } : null;
  note();
  return lookUp();
}

/**
 * The context the directory gives for a key counted `by`: what this page's form sends when an organization is picked
 * and nothing else is typed (the first value of each enum, empty text, 0), with the key and, for an organization in
 * the directory, its plan and attributes.
 */
export function directoryContext(by, key, entry) {
  const context = {};
  for (const a of state.schema.contextAttributes) put(context, a.attribute, a.enumValues ? a.enumValues[0] : typed(a, ''));
  if (entry && by === KEY) {
    if (entry.plan !== null) put(context, PLAN, entry.plan);
    for (const [path, value] of Object.entries(entry.attributes || {})) put(context, 'context.' + path, value);
  }
  put(context, by, typed(attribute(by), key));
  return context;
}

/** "Hooli · " before the key in the result's heading when the directory has it, else nothing. */
function directoryName(key) {
  return directory && directory.entry && directory.id === key ? `${directory.entry.name} · ` : '';
}

/** The directory's row of `id`, or null when it is not in the directory. */
export async function directoryEntry(id) {
  try {
    return (await call('GET', organizationsPath(id))).body;
  } catch (e) {
    if (e.status === 404) return null;
    throw e;
  }
}

/**
 * Under the key and plan: the plan the directory has for the key, a warning when the plan selected differs from it,
 * or that the key is not in the directory (the page then works as it always has, with the plan picked here).
 */
function note() {
  const box = $('org-directory');
  const plan = $(contextInputId(PLAN));
  box.hidden = directory === null;
  box.className = 'note';
  if (directory === null) {
    box.replaceChildren();
  } else if (directory.entry === null) {
    box.textContent = `${directory.id} is not in the directory: its plan is the one picked here.`;
  } else if (!plan || directory.entry.plan === null || plan.value === directory.entry.plan) {
    box.textContent = `Plan from the directory: ${planName(directory.entry.plan)}`;
  } else {
    box.className = 'note warning';
    box.textContent = `The directory says ${directory.entry.name} is on ${planName(directory.entry.plan)}; `
      + `you are looking at ${planName(plan.value)}.`;
  }
}

async function lookUp() {
  const by = $('org-by').value;
  const key = $('org-key').value.trim();
  const context = {};
  for (const input of document.querySelectorAll('#org-form [data-attribute]')) {
    if (input.dataset.attribute !== by) put(context, input.dataset.attribute, typed(attribute(input.dataset.attribute), input.value));
  }
  put(context, by, typed(attribute(by), key));
  const args = {};
  for (const input of document.querySelectorAll('#org-form [data-arg]')) {
    (args[input.dataset.field] = args[input.dataset.field] || {})[input.dataset.arg] = input.value;
  }
  lookedUp = { by, key, context, args };
  try {
    if (by !== KEY) directory = null;
    else if (directory === null || directory.id !== key) directory = { id: key, entry: await directoryEntry(key) };
    note();
    await reloadLogic();
    await render();
  } catch (e) {
    showError(e);
  }
}

export async function render() {
  if (!lookedUp) return;
  const { by, key, context, args } = lookedUp;
  const mine = ++renders;
  const { body } = await call('POST', env(state.environment) + '/explain', { body: { context, args } });
  // Answers can arrive out of order (a view switch's render, then a look-up's): only the latest is shown.
  if (mine !== renders) return;
  const results = new Map(body.fields.map((f) => [f.path, f]));
  const rows = leafFields().map((f) => row(f, results.get(f.path), by, key));
  $('org-result').replaceChildren(
    el('h3', {}, `${directoryName(key)}${key} `,
      el('span', { className: 'muted' }, `(${words(by)}, revision ${body.revision})`)),
    el('table', { className: 'grid', id: 'entitlements' },
      el('caption', { className: 'sr-only' }, `Effective entitlements of ${key}`),
      el('thead', {}, el('tr', {},
        ['Entitlement', 'Value', 'Why', 'Override for this key', can('editor') ? 'Change' : null]
          .filter(Boolean).map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows)),
    el('section', { id: 'org-meters', className: 'meters-section', 'aria-labelledby': 'meters-title' }));
  $('org-result').dataset.context = JSON.stringify(context);
  await renderMeters($('org-meters'), {
    by, key, context, args, explained: results,
    name: directory && directory.entry && directory.id === key ? directory.entry.name : key,
    why: (reason, path) => {
      const [kind, detail] = reasonText(reason, key, path);
      return kind.toLowerCase() + (detail ? ': ' + lowerFirst(detail) : '');
    },
    current: () => mine === renders,
  });
}

/** "Ana Silva" of "Ana Silva <ana@example.com>"; a token's name as it is. */
function person(author) {
  return author.replace(/\s*<[^>]*>$/, '');
}

/**
 * Who set an override, as a sentence: "Set for Hooli by Ana Silva on 3 Dec 2026: trial, ticket SALES-12", when the
 * server knows (the row was set through the override form or API); else the table and key.
 */
function overrideWords(reason, key) {
  if (!reason.setBy) return reason.override;
  const name = directory && directory.entry && directory.id === key ? directory.entry.name : key;
  const message = reason.setMessage ? `: ${reason.setMessage}` : '';
  return `Set for ${name} by ${person(reason.setBy)} on ${dayText(Date.parse(reason.setAt))}${message}`;
}

function reasonText(reason, key, path) {
  switch (reason.kind) {
    case 'OVERRIDE': return ['Override', overrideWords(reason, key)];
    case 'RULE': return ['Rule', ruleWords(path, reason.rule)];
    case 'SPLIT': return ['Split', `“${reason.rule}”, arm ${reason.arm}`];
    case 'DEFAULT': return ['Default', null];
    case 'FALLBACK': return ['Caller\'s fallback', reason.message || fallbackWords(reason.fallbackCause)];
    default: return [reason.label, reason.rule || null];
  }
}

/** The override column: the row's value and, for a row with a time window, "until ...", "from ..." or "expired on ...". */
function overrideCell(entry) {
  if (entry === undefined) return el('td', {}, el('span', { className: 'muted' }, 'none'));
  const when = windowState(entry);
  const words = windowWords(entry);
  return el('td', { className: when === 'expired' ? 'override-lapsed' : null, 'data-window': when },
    el('span', { className: when === 'expired' ? 'muted' : null }, format(entry.value)),
    words.length ? el('span', { className: 'window window-' + when }, ...words) : null);
}

function row(field, result, by, key) {
  const name = words(field.path);
  const override = overrideRow(field.path, by, key);
  const [kind, detail] = result ? reasonText(result.reason, key, field.path) : ['—', null];
  const cells = [
    el('th', { scope: 'row' }, el('span', { className: 'label' }, words(field.path)),
      field.description ? el('span', { className: 'help' }, field.description) : null,
      el('details', { className: 'tech' }, el('summary', {}, 'Details'),
        el('code', {}, field.path), el('span', { className: 'type' }, `${field.type}: ${typeWords(field.type)}`),
        field.constraints ? el('span', { className: 'type' }, `allowed: ${field.constraints.description}`) : null,
        field.metered ? el('span', { className: 'type' }, `a limit on usage, counted per ${field.metered.period.toLowerCase()} `
          + `(UTC) by ${lowerFirst(words(field.metered.by))}`) : null)),
    el('td', { className: 'value', 'data-field': field.path }, result ? format(result.value) : '—'),
    el('td', {}, el('span', { className: 'badge badge-' + (result ? result.reason.kind.toLowerCase() : 'none') }, kind),
      detail ? el('span', { className: 'detail' }, ' ', detail) : null),
    overrideCell(overrideEntry(field.path, by, key)),
  ];
  if (can('editor')) {
    cells.push(el('td', { className: 'actions' },
      el('button', { type: 'button', 'data-action': 'set', 'aria-label': `Change ${name}`,
        onclick: () => change(field, result, by, key) }, 'Change'),
      override === undefined ? null : el('button', { type: 'button', 'data-action': 'clear',
        'aria-label': `Clear the override of ${name}`, onclick: () => clear(field, by, key) }, 'Clear')));
  }
  return el('tr', { 'data-field': field.path }, cells);
}

/** What the organization gets now and why, for the confirmation: an override (with its end), else the reason. */
function describeOld(field, result, by, key) {
  const entry = overrideEntry(field.path, by, key);
  const when = windowState(entry);
  if (entry !== undefined && when === 'always') return `${format(entry.value)} (override)`;
  if (entry !== undefined && when === 'active') {
    return `${format(entry.value)} (override${entry.until === undefined ? '' : ' until ' + untilText(entry.until)})`;
  }
  if (!result) return '—';
  const [kind, detail] = reasonText(result.reason, key, field.path);
  return `${format(result.value)} (${kind.toLowerCase()}${detail ? ' ' + detail : ''})`;
}

/**
 * The "Ends" choice of the change dialog: no end, 7, 14 or 30 days, or a date (the grant holds through that day, UTC),
 * and, when the row already has a window that has not lapsed, keeping it. read() answers the window ({} for none, or
 * {from?, until?}) or throws a message.
 */
function endInput(entry, key) {
  const when = windowState(entry);
  const keep = entry !== undefined && (when === 'active' || when === 'scheduled');
  const days = (n) => el('option', { value: String(n) }, `In ${n} days (until ${untilText(endAfterDays(n))})`);
  const select = el('select', { id: 'override-end' },
    keep ? el('option', { value: 'keep', selected: true }, 'As now: ' + windowPlain(entry)) : null,
    el('option', { value: 'none', selected: !keep }, 'No end'),
    [7, 14, 30].map(days),
    el('option', { value: 'date' }, 'On a date…'));
  const date = el('input', { id: 'override-until-date', type: 'date' });
  const dateBox = el('div', { className: 'field', hidden: true },
    el('label', { for: 'override-until-date' }, 'Last day of the grant'), date);
  const sync = () => {
    dateBox.hidden = select.value !== 'date';
  };
  select.addEventListener('change', sync);
  return {
    nodes: [
      el('div', { className: 'field' }, el('label', { for: 'override-end' }, 'Ends'), select),
      dateBox,
      el('p', { className: 'hint', id: 'override-end-hint' }, 'A grant holds through its last day and ends at midnight '
        + `UTC after it; then ${key} gets what it would without this override again, with no one having to remember.`),
    ],
    read: () => {
      if (select.value === 'keep') return { from: entry.from, until: entry.until };
      if (select.value === 'none') return {};
      if (select.value !== 'date') return { until: endAfterDays(Number(select.value)) };
      const until = endOfDate(date.value);
      if (!until) throw new Error('Ends: pick the last day of the grant.');
      return { until };
    },
  };
}

/** The end of a new row in words, for the confirmation and the status: ", until 19 Dec 2026 (in 14 days)". */
function endWords(window) {
  const parts = [];
  if (window.from !== undefined) parts.push(`from ${fromText(window.from)}`);
  if (window.until !== undefined) parts.push(`until ${untilText(window.until)} (${untilRelative(window.until)})`);
  return parts.length ? ', ' + parts.join(' ') : ', no end';
}

/** Whether the field's logic has an override table keyed by `by`: editors set rows only in those. */
function hasTable(path, by) {
  const logic = state.logic.fields && state.logic.fields[path];
  return Boolean(logic && (logic.overrides || []).some((t) => t.by === by));
}

/**
 * Sends the override: a change request for an editor's override that needs a new table (an admin approves it),
 * otherwise the override itself, which the server answers 202 with a change request when the environment requires
 * approval. Shows what happened in the status line.
 */
async function sendOverride(field, by, key, payload, request) {
  const name = words(field.path);
  const path = overridePath(state.environment, field.path, by, key);
  const answer = request
    ? await call('POST', env(state.environment) + '/change-requests', {
      body: { method: 'PUT', path: path.slice(env(state.environment).length), body: payload, message: payload.message },
      ifMatch: state.revision,
    })
    : await call('PUT', path, { body: payload, ifMatch: state.revision });
  const window = { from: payload.from, until: payload.until };
  if (answer.status === 201 || answer.status === 202) {
    sentForReview(`${name} for ${key} → ${format(payload.value)}${endWords(window)}`, answer.body);
  } else {
    status(`Saved: ${name} for ${key} is now ${format(payload.value)}${endWords(window)}; revision ${answer.body.revision}.`,
      { revision: answer.body.revision });
  }
}

/** The note under a confirmation whose change is reviewed before it is published; null when it is published at once. */
function reviewNote(request) {
  if (request) return el('p', { className: 'hint', id: 'review-note' }, 'An admin approves this change; nothing changes until then.');
  if (!state.requireApproval) return null;
  return el('p', { className: 'hint', id: 'review-note' }, `${state.environment} requires approval: this becomes a change `
    + 'request that another person approves; nothing changes until then.');
}

async function change(field, result, by, key) {
  const name = words(field.path);
  // An editor cannot create an override table: for a field without one the change goes to an admin as a request.
  const request = !can('admin') && !hasTable(field.path, by);
  const start = overrideRow(field.path, by, key);
  const input = valueInput('override-value', { ...field, label: `New ${lowerFirst(name)}` },
    start !== undefined ? start : result && result.value !== null ? result.value : undefined);
  const ends = endInput(overrideEntry(field.path, by, key), key);
  const message = el('input', { id: 'override-message', type: 'text', required: true,
    placeholder: 'for example: trial, ticket SALES-12' });
  let value;
  let window;
  for (;;) {
    const edited = await openDialog({
      title: request ? `Request this change: ${name} for ${key}` : `${name} for ${key}`,
      ok: 'Review',
      body: [
        request ? el('p', { className: 'hint', id: 'request-hint' }, `${name} has no override table by `
          + `${lowerFirst(words(by))} yet, and creating one is an admin's decision: you can request this change, `
          + 'and an admin approves it. Say why in the message.') : null,
        el('div', { className: 'field' }, el('label', { for: 'override-value' }, input.label), input.node),
        ends.nodes,
        el('div', { className: 'field' }, el('label', { for: 'override-message' }, 'Message for the history'), message),
      ],
      onOk: () => {
        value = input.read();
        window = ends.read();
        if (!message.value.trim()) throw new Error('Say why, for the history (a ticket or a few words).');
      },
    });
    if (!edited) return;
    const summary = el('p', { id: 'confirm-summary' });
    const describe = () => summary.replaceChildren(
      el('strong', {}, name), ` for ${key}: `, describeOld(field, result, by, key), ' → ', el('strong', {}, format(value)),
      el('span', { id: 'confirm-end' }, endWords(window)),
      el('br'), el('span', { className: 'muted' }, `“${message.value.trim()}”, on top of revision ${state.revision}`));
    describe();
    const reviewed = request || state.requireApproval;
    const confirmed = await openDialog({
      title: request ? 'Request this change' : 'Confirm the change',
      ok: reviewed ? 'Send for review' : 'Confirm',
      back: true,
      body: [summary, reviewNote(request)],
      onOk: async () => {
        try {
          await sendOverride(field, by, key, { value, ...window, message: message.value.trim() }, request);
        } catch (e) {
          if (e.status === 409 && e.code === 'revision_mismatch') {
            await reloadLogic();
            describe();
            throw new Error(`Someone else changed ${state.environment} first; it is now at revision ${state.revision}. `
              + 'The old value above is reloaded and your change is kept: confirm to apply it on top.');
          }
          if (e.status === 400 && window.until !== undefined && Date.parse(window.until) <= Date.now()) {
            throw new Error(`The grant would end ${untilText(window.until)}, which has already passed: go back and `
              + `pick a later last day, or No end. (The server said: ${e.message})`);
          }
          throw e;
        }
      },
    });
    // Back returns to the form with what was typed; Cancel cancels, leaving nothing pending.
    if (confirmed === true) break;
    if (confirmed === false) return;
  }
  await reloadLogic();
  await render();
}

async function clear(field, by, key) {
  const name = words(field.path);
  const entry = overrideEntry(field.path, by, key);
  const words = windowPlain(entry);
  const message = el('input', { id: 'clear-message', type: 'text', required: true });
  let reviewed = null; // the change request, when the environment requires approval
  const confirmed = await openDialog({
    title: `Clear the override of ${name} for ${key}`,
    ok: state.requireApproval ? 'Send for review' : 'Clear override',
    body: [
      el('p', {}, `${format(entry.value)} (override${words ? ', ' + words : ''}) → what the plan and rules give`),
      el('div', { className: 'field' }, el('label', { for: 'clear-message' }, 'Message for the history'), message),
    ],
    onOk: async () => {
      try {
        const answer = await call('DELETE', overridePath(state.environment, field.path, by, key), {
          ifMatch: state.revision, message: message.value.trim(),
        });
        reviewed = answer.status === 202 ? answer.body : null;
      } catch (e) {
        if (e.status === 409) {
          await reloadLogic();
          throw new Error(`Someone else changed ${state.environment} first (now revision ${state.revision}); confirm again.`);
        }
        throw e;
      }
    },
  });
  if (confirmed && reviewed) {
    sentForReview(`clear the override of ${name} for ${key}`, reviewed);
  } else if (confirmed) {
    await reloadLogic();
    status(`Cleared the override of ${name} for ${key}.`, { revision: state.revision });
    await render();
  }
}
