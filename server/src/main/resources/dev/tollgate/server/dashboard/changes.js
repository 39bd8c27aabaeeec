// Changes that need review: the environment's change requests with their diff, author, message and age; approve and
// reject for those allowed (never the author), withdraw for the author; and, for admins, whether edits need approval.
import { call, env } from './api.js';
import { el, openDialog, status } from './ui.js';
import { can, reloadLogic, state } from './state.js';
import { diffList } from './diffs.js';

const $ = (id) => document.getElementById(id);
const STATUSES = ['open', 'approved', 'rejected', 'withdrawn', 'superseded'];
let shown = 'open';

const requests = () => env(state.environment) + '/change-requests';

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function age(createdAt, now = Date.now()) {
  const minutes = Math.floor((now - Date.parse(createdAt)) / 60000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

export async function render() {
  const { body } = await call('GET', `${requests()}?status=${shown}`);
  $('changes-settings').replaceChildren(settings(body.requireApproval));
  const filter = el('select', { id: 'changes-status' }, STATUSES.map((s) => el('option', { value: s, selected: s === shown }, s)));
  filter.addEventListener('change', () => {
    shown = filter.value;
    render();
  });
  const list = body.changeRequests.length === 0
    ? el('p', { className: 'muted', id: 'changes-empty' }, `No ${shown} change requests in ${state.environment}.`)
    : el('table', { className: 'grid', id: 'change-requests' },
      el('caption', { className: 'sr-only' }, `${shown} change requests of ${state.environment}, newest first`),
      el('thead', {}, el('tr', {}, ['Request', 'What changes', 'Author', 'Message', 'Age', ''].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, body.changeRequests.map(row)));
  $('changes-body').replaceChildren(
    el('div', { className: 'row' }, el('div', { className: 'field' }, el('label', { for: 'changes-status' }, 'Show'), filter)),
    list);
}

/** Whether the environment requires approval, and for admins the button that changes it. */
function settings(requireApproval) {
  const text = requireApproval
    ? `${state.environment} requires approval: edits become change requests that another person approves.`
    : `${state.environment} publishes edits at once. Editors can still request changes they may not make themselves.`;
  return el('p', { className: 'card', id: 'approval-setting', 'data-require-approval': String(requireApproval) }, text,
    can('admin') ? el('button', { type: 'button', id: 'toggle-approval', className: 'inline',
      onclick: () => toggle(!requireApproval) }, requireApproval ? 'Stop requiring approval' : 'Require approval') : null);
}

async function toggle(require) {
  const message = el('input', { id: 'settings-message', type: 'text', required: true });
  const done = await openDialog({
    title: require ? `Require approval in ${state.environment}?` : `Stop requiring approval in ${state.environment}?`,
    ok: require ? 'Require approval' : 'Stop requiring approval',
    body: [
      el('p', {}, require
        ? 'From now on every edit of the logic waits for another person to approve it.'
        : 'From now on edits are published at once; open change requests stay open for review.'),
      el('div', { className: 'field' }, el('label', { for: 'settings-message' }, 'Message for the audit log'), message),
    ],
    onOk: async () => {
      if (!message.value.trim()) throw new Error('Say why, for the audit log.');
      await call('PUT', env(state.environment) + '/settings', {
        body: { requireApproval: require, message: message.value.trim() },
      });
    },
  });
  if (done) {
    status(require ? `${state.environment} now requires approval.` : `${state.environment} no longer requires approval.`);
    await reloadLogic();
    await render();
  }
}


/** What a request does, by its audit action. */
const ACTIONS = {
  'logic.put': 'Replace all logic', 'field.put': 'Change a field\'s logic', 'field.delete': 'Remove a field\'s logic',
  'override.set': 'Set an override', 'override.clear': 'Clear an override', 'segment.put': 'Change a segment',
  'segment.delete': 'Remove a segment', 'segment.member.add': 'Add to a segment', 'segment.member.remove': 'Remove from a segment',
};

const mine = (request) => state.me && request.authorIdentity === state.me.identity;
const mayReview = (request) => !mine(request) && can(request.requiredRole);

function row(request) {
  const actions = [];
  if (request.status === 'open' && mayReview(request)) {
    actions.push(el('button', { type: 'button', className: 'primary', 'data-action': 'approve',
      'aria-label': `Approve change request ${request.id}`, onclick: () => approve(request) }, 'Approve'));
    actions.push(el('button', { type: 'button', 'data-action': 'reject',
      'aria-label': `Reject change request ${request.id}`, onclick: () => reject(request) }, 'Reject'));
  }
  if (request.status === 'open' && mine(request)) {
    actions.push(el('button', { type: 'button', 'data-action': 'withdraw',
      'aria-label': `Withdraw change request ${request.id}`, onclick: () => withdraw(request) }, 'Withdraw'));
  }
  const needs = request.status !== 'open' ? reviewed(request)
    : mine(request) ? 'your request: another person reviews it'
      : `needs ${request.requiredRole === 'admin' ? 'an admin' : 'an approver'}`;
  return el('tr', { 'data-request': request.id },
    el('th', { scope: 'row' }, `#${request.id}`, el('span', { className: 'detail', title: `${request.edit.method} ${request.action}` },
      el('br'), ACTIONS[request.action] || request.action)),
    el('td', {}, diffList(request.diff, null)),
    el('td', {}, request.author),
    el('td', {}, request.message || el('span', { className: 'muted' }, '(no message)')),
    el('td', {}, el('time', { datetime: request.createdAt, title: request.createdAt }, age(request.createdAt))),
    el('td', { className: 'actions' }, el('span', { className: 'detail', 'data-needs': request.requiredRole }, needs),
      actions.length ? el('br') : null, actions));
}

function reviewed(request) {
  const by = request.reviewer ? ` by ${request.reviewer}` : '';
  const published = request.revision ? `, revision ${request.revision}` : '';
  const comment = request.reviewComment ? `: “${request.reviewComment}”` : '';
  return `${request.status}${by}${published}${comment}`;
}

function summary(request) {
  return [
    el('p', {}, `#${request.id} by ${request.author}, ${age(request.createdAt)}, made on revision ${request.baseRevision}:`),
    diffList(request.diff, 'review-diff'),
    el('p', { className: 'muted' }, `“${request.message || 'no message'}”`),
  ];
}

async function approve(request) {
  const comment = el('input', { id: 'review-comment', type: 'text' });
  let approved;
  const done = await openDialog({
    title: `Approve change request #${request.id}?`,
    ok: 'Approve and publish',
    body: [
      summary(request),
      el('p', {}, `Approving publishes this on top of the current revision (${state.revision}); every service sees it within a second.`),
      el('div', { className: 'field' }, el('label', { for: 'review-comment' }, 'Comment (optional)'), comment),
    ],
    onOk: async () => {
      approved = (await call('POST', `${requests()}/${request.id}/approve`, { body: { comment: comment.value.trim() } })).body;
    },
  });
  if (done) {
    status(`Approved change request #${request.id}: published as revision ${approved.revision}.`);
    await reloadLogic();
    await render();
  }
}

async function reject(request) {
  const comment = el('input', { id: 'review-comment', type: 'text', required: true });
  const done = await openDialog({
    title: `Reject change request #${request.id}?`,
    ok: 'Reject',
    body: [
      summary(request),
      el('div', { className: 'field' }, el('label', { for: 'review-comment' }, 'Why (the author sees it)'), comment),
    ],
    onOk: async () => {
      if (!comment.value.trim()) throw new Error('Say why you reject it, for the author.');
      await call('POST', `${requests()}/${request.id}/reject`, { body: { comment: comment.value.trim() } });
    },
  });
  if (done) {
    status(`Rejected change request #${request.id}; nothing was published.`);
    await render();
  }
}

async function withdraw(request) {
  const done = await openDialog({
    title: `Withdraw change request #${request.id}?`,
    ok: 'Withdraw',
    body: summary(request),
    onOk: async () => {
      await call('POST', `${requests()}/${request.id}/withdraw`, { body: {} });
    },
  });
  if (done) {
    status(`Withdrew change request #${request.id}.`);
    await render();
  }
}
