// Expiring: the grants (override rows with an end) that lapse within the next 7, 14 or 30 days, soonest first, with
// one click to extend one by 30 days (the same value, the end 30 days later), confirmed like every change.
import { call, env, overridePath } from './api.js';
import { el, format, openDialog, status, words } from './ui.js';
import { can, overrideEntry, reloadLogic, state } from './state.js';
import { laterBy, untilDaysAway, untilRelative, untilText, untilTime } from './dates.js';

const $ = (id) => document.getElementById(id);
const EXTEND_DAYS = 30;
let days = 14;

const ORGANIZATION = 'context.organization.id';

/**
 * Lists the grants whose last day is within the next `days` days, the way the page counts an end (a grant set "in
 * 14 days" today ends at midnight UTC after the 14th day): the server's list for one day more, cut to those days.
 */
export async function render() {
  const { body } = await call('GET', `${env(state.environment)}/expiring?days=${days + 1}`);
  const now = Date.parse(body.now);
  const grants = body.grants.filter((g) => untilDaysAway(g.until, now) <= days);
  const choose = el('select', { id: 'expiring-days', onchange: (event) => {
    days = Number(event.target.value);
    render();
  } }, [7, 14, 30].map((n) => el('option', { value: String(n), selected: n === days }, `the next ${n} days`)));
  const list = grants.length === 0
    ? el('p', { id: 'expiring-none', 'data-days': days }, `No grant in ${state.environment} ends in the next ${days} days.`)
    : el('table', { className: 'grid', id: 'expiring', 'data-days': days },
      el('caption', { className: 'sr-only' }, `Grants ending in the next ${days} days, soonest first`),
      el('thead', {}, el('tr', {}, ['Organization', 'Entitlement', 'Value', 'Ends', can('editor') ? 'Extend' : null]
        .filter(Boolean).map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, grants.map((g) => row(g, now, body.revision))));
  $('expiring-body').replaceChildren(
    el('div', { className: 'row' }, el('div', { className: 'field' },
      el('label', { for: 'expiring-days' }, 'Grants that end in'), choose)),
    el('p', { className: 'hint' }, 'Overrides set with an end (a trial, a temporary grant), soonest first. When a grant '
      + 'ends, the organization gets what it would without it again (its plan\'s value, usually); nobody has to act. '
      + 'A grant holds through the day shown and ends at midnight UTC after it.'),
    list);
}

/** A grant's row; `revision` is the revision the list came from, the base an Extend of it writes on. */
function row(grant, now, revision) {
  const name = words(grant.field);
  const who = grant.attribute === ORGANIZATION
    ? grant.key
    : [grant.key, el('span', { className: 'detail' }, ` (${grant.attribute.replace(/^context\./, '')})`)];
  return el('tr', { 'data-field': grant.field, 'data-key': grant.key, 'data-attribute': grant.attribute },
    el('th', { scope: 'row' }, who),
    el('td', {}, name),
    el('td', { className: 'value' }, format(grant.value)),
    el('td', { className: 'ends' }, untilTime(grant.until),
      el('span', { className: 'detail' }, ` (${untilRelative(grant.until, now)})`)),
    can('editor') ? el('td', { className: 'actions' }, el('button', { type: 'button', 'data-action': 'extend',
      'aria-label': `Extend ${name} for ${grant.key} by ${EXTEND_DAYS} days`, onclick: () => extend(grant, revision) },
    `Extend ${EXTEND_DAYS} days`)) : null);
}

/**
 * Extends a grant: the same value (and start, if any) with its end 30 days later, after a confirmation. The write is
 * conditional on `revision`, the one the listed grant came from (not the page's logic, which the days select does not
 * reload), so that it never lands on a revision where the grant is not what the list showed. On a conflict the page
 * reloads the logic: if the grant is unchanged, confirming again extends it on the new revision; if it changed, the
 * Extend is refused and, once the dialog closes, the list shows the grant as it is now.
 */
async function extend(grant, revision) {
  const name = words(grant.field);
  const until = laterBy(grant.until, EXTEND_DAYS);
  const message = el('input', { id: 'extend-message', type: 'text', required: true,
    value: `extend by ${EXTEND_DAYS} days` });
  let base = revision;
  let stale = false;
  const confirmed = await openDialog({
    title: `Extend ${name} for ${grant.key}`,
    ok: 'Extend',
    body: [
      el('p', { id: 'extend-summary' }, el('strong', {}, name), ` for ${grant.key} stays ${format(grant.value)}: until `,
        untilText(grant.until), ' → until ', el('strong', {}, untilText(until)), ` (${untilRelative(until)})`),
      el('div', { className: 'field' }, el('label', { for: 'extend-message' }, 'Message for the history'), message),
    ],
    onOk: async () => {
      if (stale) throw new Error('This grant changed meanwhile: cancel and look at the list again.');
      if (!message.value.trim()) throw new Error('Say why, for the history (a ticket or a few words).');
      const body = { value: grant.value, until, message: message.value.trim() };
      if (grant.from) body.from = grant.from;
      try {
        await call('PUT', overridePath(state.environment, grant.field, grant.attribute, grant.key), {
          body, ifMatch: base,
        });
      } catch (e) {
        if (e.status === 409) {
          await reloadLogic();
          const current = overrideEntry(grant.field, grant.attribute, grant.key);
          stale = !sameGrant(current, grant);
          if (stale) {
            throw new Error(`Someone else changed this grant meanwhile (now revision ${state.revision}): cancel and `
              + 'look at the list again.');
          }
          base = state.revision;
          throw new Error(`Someone else changed ${state.environment} first (now revision ${state.revision}), not this `
            + 'grant: confirm to extend it on top.');
        }
        throw e;
      }
    },
  });
  if (!confirmed) {
    if (stale) await render();
    return;
  }
  status(`Extended: ${name} for ${grant.key} stays ${format(grant.value)} until ${untilText(until)} `
    + `(${untilRelative(until)}).`);
  await reloadLogic();
  await render();
}

/**
 * Whether the override row now in the logic is the listed grant: the same value, start and end (the list says
 * `from: null` for a row without a start; the logic's row has no `from`).
 */
function sameGrant(current, grant) {
  return current !== undefined && current.until === grant.until && (current.from ?? null) === (grant.from ?? null)
    && JSON.stringify(current.value) === JSON.stringify(grant.value);
}
