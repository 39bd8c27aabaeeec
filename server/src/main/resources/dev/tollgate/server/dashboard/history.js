// History: every revision with author, time and message, the diff with the one before, and restore (admins).
import { call, env } from './api.js';
import { el, openDialog, status } from './ui.js';
import { can, reloadLogic, state } from './state.js';
import { timeText } from './dates.js';
import { diffList } from './diffs.js';

const $ = (id) => document.getElementById(id);

export async function render() {
  const { body } = await call('GET', env(state.environment) + '/revisions?limit=100');
  const rows = body.revisions.map((r) => el('tr', { 'data-revision': r.revision },
    el('th', { scope: 'row' }, String(r.revision), r.revision === state.revision ? el('span', { className: 'badge' }, 'current') : null),
    el('td', {}, el('time', { datetime: r.createdAt }, timeText(Date.parse(r.createdAt)))),
    el('td', {}, r.author),
    el('td', {}, r.message || el('span', { className: 'muted' }, '(no message)'),
      r.restoredFrom ? el('span', { className: 'detail' }, ` (restores ${r.restoredFrom})`) : null),
    el('td', { className: 'actions' },
      r.revision > 1 ? el('button', { type: 'button', 'aria-label': `Changes in revision ${r.revision}`,
        onclick: () => diff(r.revision - 1, r.revision) }, 'Changes') : null,
      can('admin') && r.revision !== state.revision ? el('button', { type: 'button', 'data-action': 'restore',
        'aria-label': `Restore revision ${r.revision}`, onclick: () => restore(r) }, 'Restore') : null)));
  $('history-body').replaceChildren(el('table', { className: 'grid', id: 'revisions' },
    el('caption', { className: 'sr-only' }, `Revisions of ${state.environment}, newest first`),
    el('thead', {}, el('tr', {}, ['Revision', 'Time', 'Author', 'Message', ''].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows)));
  $('diff').replaceChildren();
}

async function diff(from, to) {
  const { body } = await call('GET', `${env(state.environment)}/diff?from=${from}&to=${to}`);
  const changes = body.changes.length === 0
    ? [el('p', {}, 'No change to the logic (for example a schema upload with the same logic).')]
    : [diffList(body.changes)];
  $('diff').replaceChildren(el('h3', {}, `Changes from revision ${from} to ${to}`), ...changes);
  $('diff').focus();
}

async function restore(r) {
  const message = el('input', { id: 'restore-message', type: 'text', value: `restore revision ${r.revision}` });
  const { body } = await call('GET', `${env(state.environment)}/diff?from=${state.revision}&to=${r.revision}`);
  const restored = await openDialog({
    title: `Restore revision ${r.revision}?`,
    ok: 'Restore',
    body: [
      el('p', {}, `The logic of revision ${r.revision} (${r.message || 'no message'}) becomes a new revision on top of ${state.revision}. What changes:`),
      diffList(body.changes),
      el('div', { className: 'field' }, el('label', { for: 'restore-message' }, 'Message for the history'), message),
    ],
    onOk: async () => {
      try {
        await call('POST', `${env(state.environment)}/revisions/${r.revision}/restore`, {
          ifMatch: state.revision, message: message.value.trim(),
        });
      } catch (e) {
        if (e.status === 409) {
          await reloadLogic();
          throw new Error(`Someone else changed ${state.environment} first (now revision ${state.revision}); restore again to restore on top of it.`);
        }
        throw e;
      }
    },
  });
  if (restored) {
    await reloadLogic();
    status(`Restored revision ${r.revision} as revision ${state.revision}.`, { revision: state.revision });
    await render();
  }
}
