// Webhooks (admins): the environment's endpoints with the events they get, their last deliveries (status, attempts,
// last error), and the actions: add an endpoint (its secret is shown once), send a test event, redeliver, rotate the
// secret, disable or enable, delete.
import { call, env } from './api.js';
import { el, openDialog, status } from './ui.js';
import { can, state } from './state.js';
import { timeText } from './dates.js';

const $ = (id) => document.getElementById(id);
const EVENTS = {
  'revision.published': 'a revision is published',
  'override.set': 'an override row is set',
  'override.cleared': 'an override row is cleared',
  'grant.expiring': 'a grant with an end is about to end',
  'grant.expired': 'a grant has ended',
  'usage.threshold_crossed': 'metered usage reaches 80 % or 100 % of its limit',
};
const SHOWN_DELIVERIES = 10;

const hooks = () => `${env(state.environment)}/webhooks`;

export async function render() {
  if (!can('admin')) {
    $('webhooks-body').replaceChildren(el('p', {}, 'Only admins manage webhooks.'));
    return;
  }
  const { body } = await call('GET', hooks());
  const cards = [];
  for (const endpoint of body.webhooks) cards.push(await card(endpoint));
  $('webhooks-body').replaceChildren(
    el('p', {}, `Tollgate posts the events of ${state.environment} you choose to your HTTPS endpoints, signed with the `
      + 'endpoint’s secret, and retries failed deliveries for about a day.'),
    el('button', { type: 'button', id: 'webhook-add', className: 'primary', onclick: add }, 'Add endpoint'),
    ...(cards.length ? cards : [el('p', { className: 'muted', id: 'webhooks-none' }, 'No endpoints yet.')]));
}

async function card(endpoint) {
  const { body } = await call('GET', `${hooks()}/${endpoint.id}/deliveries?limit=${SHOWN_DELIVERIES}`);
  const shown = endpoint.enabled
    ? el('span', { className: 'badge badge-rule' }, 'enabled')
    : el('span', { className: 'badge badge-fallback' }, 'disabled');
  return el('section', { className: 'card webhook', 'data-webhook': endpoint.id, 'aria-label': `Endpoint ${endpoint.url}` },
    el('h3', {}, el('code', {}, endpoint.url), ' ', shown),
    endpoint.description ? el('p', {}, endpoint.description) : null,
    endpoint.disabledReason ? el('p', { className: 'problem' }, endpoint.disabledReason) : null,
    el('p', { className: 'detail' }, 'Events: ', endpoint.events.join(', '), ` · added by ${endpoint.createdBy} on `,
      el('time', { datetime: endpoint.createdAt }, timeText(Date.parse(endpoint.createdAt)))),
    el('div', { className: 'actions' },
      el('button', { type: 'button', 'data-action': 'ping', disabled: !endpoint.enabled,
        onclick: () => ping(endpoint) }, 'Send test event'),
      el('button', { type: 'button', 'data-action': 'toggle', onclick: () => toggle(endpoint) },
        endpoint.enabled ? 'Disable' : 'Enable'),
      el('button', { type: 'button', 'data-action': 'rotate', onclick: () => rotate(endpoint) }, 'Rotate secret'),
      el('button', { type: 'button', 'data-action': 'delete', onclick: () => remove(endpoint) }, 'Delete')),
    deliveries(endpoint, body.deliveries));
}

function deliveries(endpoint, list) {
  if (!list.length) return el('p', { className: 'muted' }, 'No deliveries yet.');
  return el('table', { className: 'grid deliveries' },
    el('caption', { className: 'sr-only' }, `Last deliveries to ${endpoint.url}, newest first`),
    el('thead', {}, el('tr', {}, ['Event', 'Status', 'Attempts', 'Last answer', 'Created', '']
      .map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, list.map((d) => el('tr', { 'data-delivery': d.id, 'data-status': d.status },
      el('th', { scope: 'row' }, d.type, el('span', { className: 'type' }, d.eventId)),
      el('td', {}, el('span', { className: `badge ${badge(d.status)}` }, d.status),
        d.status === 'pending' && d.nextAttemptAt ? el('span', { className: 'detail' },
          ' next ', el('time', { datetime: d.nextAttemptAt }, timeText(Date.parse(d.nextAttemptAt)))) : null),
      el('td', {}, String(d.attempts)),
      el('td', { className: 'last-answer' }, answer(d)),
      el('td', {}, el('time', { datetime: d.createdAt }, timeText(Date.parse(d.createdAt)))),
      el('td', { className: 'actions' }, d.status === 'pending' ? null : el('button', { type: 'button',
        'data-action': 'redeliver', 'aria-label': `Redeliver ${d.eventId}`, onclick: () => redeliver(endpoint, d) },
      'Redeliver'))))));
}

function badge(status) {
  return status === 'delivered' ? 'badge-rule' : status === 'failed' ? 'badge-fallback' : 'badge-default';
}

function answer(d) {
  if (d.attempts === 0) return el('span', { className: 'muted' }, 'not sent yet');
  if (d.lastStatusCode !== null && d.lastStatusCode >= 200 && d.lastStatusCode < 300) return `HTTP ${d.lastStatusCode}`;
  return el('span', { className: 'problem' }, d.lastError || `HTTP ${d.lastStatusCode}`);
}

async function add() {
  const url = el('input', { id: 'webhook-url', type: 'url', required: true, placeholder: 'https://' });
  const description = el('input', { id: 'webhook-description', type: 'text', maxlength: '200' });
  const boxes = Object.entries(EVENTS).map(([type, words]) => el('label', { className: 'checked' },
    el('span', {}, el('input', { type: 'checkbox', name: 'webhook-event', value: type }), ' ', el('code', {}, type)),
    el('span', { className: 'hint' }, words)));
  let created = null;
  const ok = await openDialog({
    title: 'Add a webhook endpoint',
    ok: 'Add',
    body: [
      el('div', { className: 'field' }, el('label', { for: 'webhook-url' }, 'URL (https)'), url),
      el('div', { className: 'field' }, el('label', { for: 'webhook-description' }, 'Description'), description),
      el('fieldset', {}, el('legend', {}, 'Events'), boxes),
    ],
    onOk: async () => {
      const events = [...document.querySelectorAll('input[name=webhook-event]:checked')].map((b) => b.value);
      created = (await call('POST', hooks(), { body: { url: url.value.trim(), description: description.value.trim(), events } })).body;
    },
  });
  if (ok) {
    await showSecret(created.secret, 'Endpoint added');
    await render();
  }
}

/** Shows a secret, the one time the server answers it. */
function showSecret(secret, title) {
  return openDialog({
    title,
    ok: 'Done',
    body: [
      el('p', {}, 'Copy the signing secret now: it is not shown again.'),
      el('p', {}, el('code', { id: 'webhook-secret' }, secret)),
      el('p', { className: 'hint' }, 'Each delivery carries Tollgate-Webhook-Signature: v1=<hex HMAC-SHA256 of '
        + '"<id>.<timestamp>.<body>"> keyed by this secret; see the server guide for checking it.'),
    ],
    onOk: () => true,
  });
}

async function ping(endpoint) {
  const { body } = await call('POST', `${hooks()}/${endpoint.id}/ping`, { body: {} });
  status(`Sent a test event (${body.eventId}) to ${endpoint.url}.`);
  await render();
}

async function redeliver(endpoint, d) {
  await call('POST', `${hooks()}/${endpoint.id}/deliveries/${d.id}/redeliver`, { body: {} });
  status(`Delivering ${d.type} ${d.eventId} to ${endpoint.url} again.`);
  await render();
}

async function toggle(endpoint) {
  await call('PATCH', `${hooks()}/${endpoint.id}`, { body: { enabled: !endpoint.enabled } });
  status(`${endpoint.enabled ? 'Disabled' : 'Enabled'} ${endpoint.url}.`);
  await render();
}

async function rotate(endpoint) {
  let secret = null;
  const ok = await openDialog({
    title: 'Rotate the signing secret?',
    ok: 'Rotate',
    body: el('p', {}, `${endpoint.url} gets a new secret. For 24 hours deliveries are signed with both the new and the `
      + 'old one, so the receiver can switch over without missing any.'),
    onOk: async () => {
      secret = (await call('POST', `${hooks()}/${endpoint.id}/rotate-secret`, { body: {} })).body.secret;
    },
  });
  if (ok) {
    await showSecret(secret, 'New signing secret');
    await render();
  }
}

async function remove(endpoint) {
  const ok = await openDialog({
    title: 'Delete this endpoint?',
    ok: 'Delete',
    body: el('p', {}, `${endpoint.url} gets no more events, and its deliveries are deleted.`),
    onOk: () => call('DELETE', `${hooks()}/${endpoint.id}`),
  });
  if (ok) {
    status(`Deleted ${endpoint.url}.`);
    await render();
  }
}
