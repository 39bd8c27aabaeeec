// Close to a limit: for one metered field, the organizations that used the most of it this period, highest first,
// with the limit in force for the first rows (each needs its own explanation) and those at or past it first. A row
// opens that organization on the organization page.
import { call, env, metersPath } from './api.js';
import { el, format, lowerFirst, words } from './ui.js';
import { leafFields, state } from './state.js';
import { PERIODS, argsKey, argumentWords, soft } from './meters.js';
import { KEY, directoryContext, directoryEntry } from './org.js';

const $ = (id) => document.getElementById(id);
/** The rows asked for: the most used keys of the field. */
const ROWS = 50;
/** The rows whose limit is looked up: one explanation (and a directory look-up) each. */
const EXPLAINED = 20;
let chosen = null; // the path of the field picked
let opener = () => {}; // opens (by, key, entry, args) on the organization page
let renders = 0; // the number of the latest render: only it may show its answer

/** Sets what a click on a row does: opener(by, key, entry, args) opens that key on the organization page. */
export function setUp(open) {
  opener = open;
}

function meteredFields() {
  return leafFields().filter((f) => f.metered);
}

export async function render() {
  const fields = meteredFields();
  if (fields.length === 0) {
    $('top-body').replaceChildren(el('p', { id: 'top-none' }, 'No entitlement is a limit on usage per hour, day or '
      + 'month, so there is nothing to list here.'));
    return;
  }
  const field = fields.find((f) => f.path === chosen) || fields[0];
  chosen = field.path;
  const mine = ++renders;
  const { body } = await call('GET', `${metersPath(state.environment)}?field=${encodeURIComponent(field.path)}&limit=${ROWS}`);
  const rows = body.usage.filter((r) => r.period === field.metered.period);
  const entries = new Map(); // key -> the directory's row (a promise), asked once per key
  const looked = await Promise.all(rows.slice(0, EXPLAINED).map((r) => lookUp(field, r, entries)));
  if (mine !== renders) return;
  const items = [...first(looked), ...rows.slice(EXPLAINED).map((row) => ({ row, entry: null, limit: null, skipped: true }))];
  const select = el('select', { id: 'top-field', onchange: (event) => {
    chosen = event.target.value;
    render();
  } }, fields.map((f) => el('option', { value: f.path, selected: f === field }, words(f.path))));
  $('top-body').replaceChildren(
    el('div', { className: 'row' }, el('div', { className: 'field' }, el('label', { for: 'top-field' }, 'Limit'), select)),
    el('p', { className: 'hint' }, `Who used the most of ${lowerFirst(words(field.path))} ${PERIODS[field.metered.period].current}`
      + ` (UTC), across every service that reads ${state.environment}, highest first; those at or past their limit come`
      + ` first, marked in red. The limit is looked up for the first ${EXPLAINED} rows. Pick a row to open that`
      + ' organization.'),
    items.length === 0
      ? el('p', { id: 'top-empty' }, `Nothing used yet ${PERIODS[field.metered.period].current}.`)
      : table(field, items),
    ...(rows.length >= ROWS ? [el('p', { className: 'hint' }, `Showing the ${ROWS} that used the most.`)] : []));
}

/**
 * One row with what is needed to show it: the directory's row of its key (null when not in the directory) and the
 * limit in force (the entitlement's value for the key with the row's arguments plus extra granted), or null when it
 * cannot be known: a key not in the directory has no plan to explain it with.
 */
async function lookUp(field, row, entries) {
  if (field.metered.by === KEY && !entries.has(row.key)) entries.set(row.key, directoryEntry(row.key));
  const entry = field.metered.by === KEY ? await entries.get(row.key) : null;
  if (entry === null) return { row, entry, limit: null };
  const { body } = await call('POST', env(state.environment) + '/explain', {
    body: { context: directoryContext(field.metered.by, row.key, entry), args: { [field.path]: row.arguments },
      fields: [field.path] },
  });
  const explained = body.fields[0];
  const value = explained && typeof explained.value === 'number' ? explained.value : null;
  return { row, entry, limit: value === null ? null : value + row.extra, soft: soft(field.path, explained && explained.reason) };
}

/** Those at or past their limit first, each group still the most used first. */
function first(items) {
  const reached = (it) => it.limit !== null && it.row.used >= it.limit;
  return [...items.filter(reached), ...items.filter((it) => !reached(it))];
}

function table(field, items) {
  const args = field.arguments.length > 0;
  return el('table', { className: 'grid', id: 'top' },
    el('caption', { className: 'sr-only' }, `Most used ${lowerFirst(words(field.path))}, those at or past the limit first`),
    el('thead', {}, el('tr', {}, ['Organization', args ? 'For' : null, 'Used', 'Limit']
      .filter(Boolean).map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, items.map((it) => line(field, it, args))));
}

function line(field, it, args) {
  const { row, entry } = it;
  const name = entry ? entry.name : row.key;
  const open = () => opener(field.metered.by, row.key, entry, { [field.path]: row.arguments });
  const over = it.limit !== null && row.used >= it.limit;
  return el('tr', { className: over ? 'top-over' : null, 'data-key': row.key, 'data-arguments': argsKey(row.arguments),
    'data-state': it.limit === null ? 'unknown' : row.used > it.limit ? 'over' : row.used === it.limit ? 'reached' : 'within',
    onclick: open },
  el('th', { scope: 'row' }, el('button', { type: 'button', className: 'link', 'data-action': 'open',
    onclick: (event) => {
      event.stopPropagation();
      open();
    } }, name), entry ? el('span', { className: 'detail' }, ` ${row.key}`) : null),
  args ? el('td', {}, argumentWords(row.arguments)) : null,
  el('td', { className: 'value' }, `${format(row.used)} used`),
  el('td', { className: 'limit' }, limitCell(it)));
}

/** "of 1,000 (41%)", with "Over the limit by 10" or "Limit reached"; else why the limit is not shown. */
function limitCell(it) {
  if (it.skipped) return el('span', { className: 'muted' }, `not looked up (after the first ${EXPLAINED})`);
  if (it.limit === null) {
    return el('span', { className: 'muted' }, it.entry ? 'none from Tollgate' : 'unknown: not in the directory');
  }
  const used = it.row.used;
  const percent = it.limit > 0 ? ` (${Math.floor((used * 100) / it.limit)}%)` : '';
  const badge = used > it.limit ? `${it.soft ? 'Past the soft limit' : 'Over the limit'} by ${format(used - it.limit)}`
    : used === it.limit ? 'Limit reached' : null;
  return [`of ${format(it.limit)}${percent}`, badge ? ' ' : null, badge ? el('span', { className: 'badge badge-over' }, badge) : null];
}
