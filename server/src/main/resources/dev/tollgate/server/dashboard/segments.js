// Segments: each named segment, and for those that are a list on one attribute (an `in` condition, alone or first
// inside a top-level `any`), its members with add and remove.
import { call, memberPath } from './api.js';
import { el, sentForReview, showError, status } from './ui.js';
import { can, reloadLogic, state } from './state.js';

const $ = (id) => document.getElementById(id);

/** The membership list of a segment, as the server edits it; null when the segment is not such a list. */
export function membership(segment) {
  const condition = segment && segment.if;
  if (!condition) return null;
  if (condition.op === 'in' && Array.isArray(condition.value)) return condition;
  if (Array.isArray(condition.any)) {
    const first = condition.any.find((c) => c.op === 'in' && Array.isArray(c.value));
    return first || null;
  }
  return null;
}

export async function render() {
  const segments = Object.entries(state.logic.segments || {});
  if (segments.length === 0) {
    $('segments-body').replaceChildren(el('p', {}, `${state.environment} has no segments. An admin defines them in the logic.`));
    return;
  }
  $('segments-body').replaceChildren(...segments.map(([name, segment]) => card(name, segment)));
}

function card(name, segment) {
  const list = membership(segment);
  const id = 'segment-' + name.replace(/[^a-zA-Z0-9]/g, '-');
  const parts = [el('h3', { id: id + '-title' }, name)];
  if (segment.description) parts.push(el('p', {}, segment.description));
  if (!list) {
    parts.push(el('p', { className: 'hint' }, 'This segment is a condition, not a list of members; an admin edits it as a whole.'),
      el('pre', {}, JSON.stringify(segment.if, null, 2)));
    return el('section', { className: 'card', 'aria-labelledby': id + '-title' }, parts);
  }
  parts.push(el('p', { className: 'muted' }, `Members by ${list.attribute.replace(/^context\./, '')} (${list.value.length})`));
  parts.push(el('ul', { className: 'members', 'data-segment': name }, list.value.map((member) => el('li', {},
    el('span', {}, String(member)),
    can('editor') ? el('button', { type: 'button', 'aria-label': `Remove ${member} from ${name}`,
      onclick: () => change(name, String(member), false) }, 'Remove') : null))));
  if (can('editor')) {
    const input = el('input', { id: id + '-add', type: 'text', required: true, spellcheck: 'false' });
    parts.push(el('form', { className: 'row', onsubmit: (event) => {
      event.preventDefault();
      change(name, input.value.trim(), true, input);
    } },
    el('div', { className: 'field' }, el('label', { for: id + '-add' }, `Add a member to ${name}`), input),
    el('button', { type: 'submit' }, 'Add')));
  }
  return el('section', { className: 'card', 'aria-labelledby': id + '-title' }, parts);
}

async function change(name, key, add, input) {
  const message = `${add ? 'add' : 'remove'} ${key} ${add ? 'to' : 'from'} segment ${name}`;
  let answer;
  try {
    answer = await call(add ? 'PUT' : 'DELETE', memberPath(state.environment, name, key), { ifMatch: state.revision, message });
  } catch (e) {
    if (e.status !== 409 || e.code !== 'revision_mismatch') {
      showError(e);
      return;
    }
    // Someone else changed the logic first: reload and apply the same change on top, once.
    await reloadLogic();
    try {
      answer = await call(add ? 'PUT' : 'DELETE', memberPath(state.environment, name, key), { ifMatch: state.revision, message });
    } catch (again) {
      showError(again);
      await render();
      return;
    }
  }
  if (answer.status === 202) sentForReview(message, answer.body);
  else status(`${add ? 'Added' : 'Removed'} ${key} ${add ? 'to' : 'from'} ${name}.`);
  if (input) input.value = '';
  await reloadLogic();
  await render();
}
