// Usage this period, on the organization page: for each metered limit counted by the key looked up (an organization
// id, usually), what the services used of it in the current hour, day or month (UTC), against the limit in force (the
// entitlement's value for the key plus any extra granted for the period); editors grant extra and reset usage.
import { call, env, metersPath } from './api.js';
import { el, format, lowerFirst, openDialog, status, words } from './ui.js';
import { can, leafFields, state } from './state.js';
import { dayAndTime, periodEnd, periodStart, timeText } from './dates.js';

/** How each period reads: "Max API requests per day ... for today, until ...". */
export const PERIODS = {
  HOUR: { per: 'per hour', current: 'this hour', unit: 'hour' },
  DAY: { per: 'per day', current: 'today', unit: 'day' },
  MONTH: { per: 'per month', current: 'this month', unit: 'month' },
};
/** The largest amount one grant adds, as the server takes it. */
const MAX_AMOUNT = 1e12;
/** The most rows one key's answer holds (the server's largest page). */
const MAX_ROWS = 1000;

/** The metered fields whose usage is counted by the attribute `by` (such as context.organization.id). */
export function meteredFields(by) {
  return leafFields().filter((f) => f.metered && f.metered.by === by);
}

/** Arguments as compact JSON with sorted keys, the way the server names a meter: one text per combination. */
export function argsKey(args) {
  return JSON.stringify(Object.fromEntries(Object.entries(args || {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/** "endpoint: search": a row's argument values in words, or '' for a field without arguments. */
export function argumentWords(args) {
  return Object.entries(args || {}).map(([name, value]) => `${lowerFirst(words(name))}: ${format(value)}`).join(', ');
}

/** "Max API requests per day (endpoint: search)": the field in words, with the row's argument values. */
function label(path, args) {
  const parts = argumentWords(args);
  return words(path) + (parts ? ` (${parts})` : '');
}

/**
 * The limit for each combination of field and arguments the rows name: the page's explanation where its arguments
 * are the row's, else a new explanation of that field with the row's arguments. A Map of path + argsKey to the
 * explained field ({value, reason}).
 */
async function limits(fields, rows, page) {
  const found = new Map();
  const asked = [];
  const ask = (path, args) => {
    const id = path + argsKey(args);
    if (found.has(id)) return;
    found.set(id, undefined);
    if (argsKey(page.args[path]) === argsKey(args) && page.explained.has(path)) {
      found.set(id, page.explained.get(path));
      return;
    }
    asked.push(call('POST', env(state.environment) + '/explain', {
      body: { context: page.context, args: { [path]: args }, fields: [path] },
    }).then(({ body }) => found.set(id, body.fields[0])));
  };
  for (const row of rows) ask(row.field, row.arguments);
  for (const f of fields) if (f.arguments.length === 0) ask(f.path, {});
  await Promise.all(asked);
  return found;
}

/** Whether the limit that applies is soft (usage may pass it): the matched rule's softLimit, else the field's. */
export function soft(path, reason) {
  const logic = (state.logic.fields || {})[path] || {};
  const rule = reason && reason.kind === 'RULE' ? (logic.rules || []).find((r) => r.id === reason.rule) : undefined;
  return Boolean(rule && rule.softLimit !== undefined ? rule.softLimit : logic.softLimit);
}

/** "today" for the current day, else "the day from 8 Dec 2026, 00:00 UTC" (a period an SDK's clock ran ahead into). */
function periodWords(item, now) {
  const period = PERIODS[item.period];
  return item.start <= now && now < item.end ? period.current : `the ${period.unit} from ${dayAndTime(item.start)}`;
}

/** An instant as "7 Dec 2026, 00:00 UTC", with the reader's own time in its tooltip. */
function timeNode(ms) {
  return el('time', { datetime: new Date(ms).toISOString(), title: `${timeText(ms)} in your time zone` }, dayAndTime(ms));
}

/**
 * One row to show: the meter ({field, arguments, key, period}), what was used and granted, and the limit in force
 * (null when Tollgate gives no value: the services then count against their own fallback).
 */
function item(field, row, explained, now) {
  const start = Date.parse(row.periodStart);
  const value = explained && typeof explained.value === 'number' ? explained.value : null;
  return {
    field, row, explained, start, end: periodEnd(row.period, start), period: row.period,
    name: label(field.path, row.arguments), used: row.used, extra: row.extra,
    value, limit: value === null ? null : value + row.extra, soft: soft(field.path, explained && explained.reason),
    now,
  };
}

/** A field's row before any usage, in the current period: there is none on the server yet (version 0). */
function emptyRow(field, key, now) {
  return { field: field.path, arguments: {}, key, period: field.metered.period,
    periodStart: new Date(periodStart(field.metered.period, now)).toISOString(), used: 0, extra: 0, version: 0 };
}

/** 'over', 'reached', 'within', or 'unknown' (no limit from Tollgate): the row's data-state. */
function standing(it) {
  if (it.limit === null) return 'unknown';
  if (it.used > it.limit) return 'over';
  return it.used === it.limit ? 'reached' : 'within';
}

/** "41%" of the limit used, or null when there is no limit above 0 to measure against. */
function percent(it) {
  return it.limit !== null && it.limit > 0 ? `${Math.floor((it.used * 100) / it.limit)}%` : null;
}

/** The first line: "Max API requests per day (endpoint: search): 412 of 1,000 used, resets 7 Dec 2026, 00:00 UTC". */
function summary(it) {
  const used = it.row.version === 0 && it.used === 0 && it.extra === 0
    ? `none used yet${it.limit === null ? '' : ` (limit ${format(it.limit)})`}`
    : it.limit === null ? `${format(it.used)} used` : `${format(it.used)} of ${format(it.limit)} used`;
  return el('p', { className: 'meter-text' }, el('strong', {}, it.name), `: ${used}, resets `, timeNode(it.end));
}

/** The bar and percentage, and a badge when the limit is reached or passed. */
function gauge(it) {
  const where = standing(it);
  const shown = percent(it);
  const badge = where === 'over'
    ? `${it.soft ? 'Past the soft limit' : 'Over the limit'} by ${format(it.used - it.limit)}`
    : where === 'reached' ? 'Limit reached' : null;
  return el('div', { className: 'meter-gauge' },
    shown === null ? null : el('meter', { min: '0', max: String(it.limit), value: String(Math.min(it.used, it.limit)),
      low: String(it.limit * 0.75), high: String(it.limit * 0.9), optimum: '0', 'aria-label': `${shown} of the limit used` }),
    shown === null ? null : el('span', { className: 'percent' }, shown),
    badge ? el('span', { className: 'badge badge-over' }, badge) : null);
}

/** Where the limit comes from, in a sentence: the value for the key, with why, and the extra granted on top. */
function note(it, why) {
  const period = PERIODS[it.period];
  if (it.value === null) {
    const reason = it.explained ? why(it.explained.reason, it.field.path) : 'the entitlement could not be explained';
    return `Tollgate gives no limit here (${reason}): the services count against their own fallback.`;
  }
  const from = `${format(it.value)} ${period.per} (${why(it.explained.reason, it.field.path)})`;
  const sentence = it.extra > 0
    ? `The limit includes ${format(it.extra)} extra granted for ${periodWords(it, it.now)}, on top of ${from}.`
    : `The limit is ${from}.`;
  const rolling = it.field.metered && it.field.metered.window === 'ROLLING'
    ? ` The limit holds over a rolling ${period.unit}: the services also count the share of the previous ${period.unit}'s`
      + ` usage that the last ${period.unit} still covers, so they may refuse before this figure reaches the limit.`
    : '';
  const soft = it.soft ? ' It is a soft limit: the services allow usage past it and report it.' : '';
  return sentence + rolling + soft;
}

/**
 * Fills `box` with the key's usage this period. `page` is what the organization page looked up and explained:
 * {by, key, name (the directory's name, or the key), context, args (per path), explained (Map of path to the explained
 * field), why(reason, path) (the reason in words), current() (whether that look-up is still the one shown)}.
 */
export async function render(box, page) {
  const fields = meteredFields(page.by);
  if (fields.length === 0) {
    box.replaceChildren();
    return;
  }
  const { body } = await call('GET', `${metersPath(state.environment)}?key=${encodeURIComponent(page.key)}&limit=${MAX_ROWS}`);
  const now = Date.parse(body.now);
  const byPath = new Map(fields.map((f) => [f.path, f]));
  const rows = body.usage.filter((r) => byPath.has(r.field) && r.period === byPath.get(r.field).metered.period);
  const found = await limits(fields, rows, page);
  if (!page.current()) return;
  const items = fields.map((f) => {
    const own = rows.filter((r) => r.field === f.path);
    if (own.length === 0 && f.arguments.length > 0) return [unusedLine(f, now)];
    const shown = own.length ? own : [emptyRow(f, page.key, now)];
    return shown.map((r) => line(item(f, r, found.get(r.field + argsKey(r.arguments)), now), page));
  }).flat();
  box.replaceChildren(
    el('h3', { id: 'meters-title' }, 'Usage this period'),
    el('p', { className: 'hint' }, `What the services counted for ${page.name} in the current hour, day or month (UTC), `
      + `added up across every service that reads ${state.environment}. Usage starts again from 0 when the period ends.`),
    el('ul', { className: 'meters', id: 'meters' }, items),
    ...(body.usage.length >= MAX_ROWS ? [el('p', { className: 'hint' }, `Showing the first ${format(MAX_ROWS)} rows.`)] : []));
}

/** A field with arguments that has no usage yet for any of their values. */
function unusedLine(field, now) {
  const names = field.arguments.map((a) => lowerFirst(words(a.name))).join(' or ');
  return el('li', { className: 'meter', 'data-field': field.path, 'data-state': 'unused' },
    el('p', { className: 'meter-text' }, el('strong', {}, words(field.path)),
      `: none used yet ${PERIODS[field.metered.period].current}, for any ${names}`));
}

function line(it, page) {
  const where = standing(it);
  const buttons = can('editor') ? el('div', { className: 'actions' },
    el('button', { type: 'button', 'data-action': 'grant', 'aria-label': `Grant extra ${lowerFirst(it.name)} to ${page.name}`,
      onclick: () => grant(it, page) }, 'Grant extra…'),
    it.used > 0 ? el('button', { type: 'button', 'data-action': 'reset',
      'aria-label': `Reset usage of ${lowerFirst(it.name)} for ${page.name}`, onclick: () => reset(it, page) }, 'Reset usage…')
      : null) : null;
  return el('li', { className: 'meter' + (where === 'over' || where === 'reached' ? ' meter-over' : ''),
    'data-field': it.field.path, 'data-arguments': argsKey(it.row.arguments), 'data-state': where },
  el('div', { className: 'meter-head' }, summary(it), buttons),
  gauge(it),
  el('p', { className: 'meter-note' }, note(it, page.why)));
}

/** The meter a grant or reset names: the row's field, arguments, key and period (the server acts on the current one). */
function meter(it, message) {
  return { field: it.row.field, arguments: it.row.arguments, key: it.row.key, period: it.row.period, message };
}

function messageField(id) {
  const input = el('input', { id, type: 'text', required: true, placeholder: 'for example: goodwill after outage, ticket CS-88' });
  return { input, node: el('div', { className: 'field' }, el('label', { for: id }, 'Message for the history'), input) };
}

/** The amount typed, or a message saying what is needed. */
function readAmount(text) {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 1 || n > MAX_AMOUNT) {
    throw new Error(`How many more: a whole number from 1 to ${format(MAX_AMOUNT)} is needed.`);
  }
  return n;
}

function requireMessage(input) {
  if (!input.value.trim()) throw new Error('Say why, for the history (a ticket or a few words).');
}

/** Grant extra: how many and why, then a confirmation in words; the section shows the new limit after. */
async function grant(it, page) {
  const when = periodWords(it, Date.now());
  const amount = el('input', { id: 'grant-amount', type: 'number', min: '1', max: String(MAX_AMOUNT), step: '1',
    inputmode: 'numeric', required: true, className: 'number' });
  const message = messageField('grant-message');
  let n;
  for (;;) {
    const edited = await openDialog({
      title: `Grant extra: ${it.name} for ${page.name}`,
      ok: 'Review',
      body: [
        el('p', { id: 'grant-now' }, it.limit === null ? `${format(it.used)} used ${when}.`
          : `${format(it.used)} of ${format(it.limit)} used ${when}.`, ' Extra is granted for ', when, ' only: at ',
        timeNode(it.end), ' the period ends and the limit is the entitlement\'s value again.'),
        el('div', { className: 'field' }, el('label', { for: 'grant-amount' }, 'How many more'), amount),
        message.node,
      ],
      onOk: () => {
        n = readAmount(amount.value);
        requireMessage(message.input);
      },
    });
    if (!edited) return;
    const text = message.input.value.trim();
    let answer;
    const confirmed = await openDialog({
      title: 'Confirm the grant',
      ok: 'Grant',
      back: true,
      body: [
        el('p', { id: 'grant-summary' }, `Grant ${page.name} ${format(n)} more ${lowerFirst(it.name)} for ${when}, until `,
          timeNode(it.end), '?'),
        it.limit === null ? null
          : el('p', { id: 'grant-limit' }, `The limit goes from ${format(it.limit)} to ${format(it.limit + n)}.`),
        el('p', { className: 'muted' }, `“${text}”`),
      ],
      onOk: async () => {
        answer = (await call('POST', metersPath(state.environment) + '/grants', { body: { ...meter(it, text), amount: n } })).body;
      },
    });
    if (confirmed === true) {
      const limit = it.value === null ? '' : `: the limit is now ${format(it.value + answer.extra)}`;
      status(`Granted ${page.name} ${format(n)} more ${lowerFirst(it.name)}${limit}, until `
        + `${dayAndTime(periodEnd(answer.period, Date.parse(answer.periodStart)))}.`);
      break;
    }
    if (confirmed === false) return;
  }
  await render(document.getElementById('org-meters'), page);
}

/** Reset usage to 0 for the current period, with a message; extra granted stays. */
async function reset(it, page) {
  const when = periodWords(it, Date.now());
  const message = messageField('reset-message');
  let answer;
  const again = it.limit === null ? '' : ` ${page.name} can then use all ${format(it.limit)} again before `;
  const confirmed = await openDialog({
    title: `Reset usage: ${it.name} for ${page.name}`,
    ok: 'Reset usage',
    body: [
      el('p', { id: 'reset-summary' }, `Reset the usage of ${lowerFirst(it.name)} for ${page.name} ${when} from `
        + `${format(it.used)} to 0?${again}`, again ? timeNode(it.end) : null, again ? '.' : null),
      el('p', { className: 'hint' }, 'Extra granted stays. Usage the services report from now on counts again.'),
      message.node,
    ],
    onOk: async () => {
      requireMessage(message.input);
      answer = (await call('POST', metersPath(state.environment) + '/reset', {
        body: meter(it, message.input.value.trim()),
      })).body;
    },
  });
  if (!confirmed) return;
  status(`Reset: ${lowerFirst(it.name)} for ${page.name} is back to ${format(answer.used)} used ${when} `
    + `(was ${format(it.used)}).`);
  await render(document.getElementById('org-meters'), page);
}
