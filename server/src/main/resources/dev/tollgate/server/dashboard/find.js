// Finding a customer: a search box over the server's organization directory that lists "Hooli — org_hooli — Pro" as
// you type (debounced), a combobox in the ARIA sense: arrows move through the list, Enter picks, Escape closes.
import { call, organizationsPath } from './api.js';
import { el, enumWords, showError } from './ui.js';

const $ = (id) => document.getElementById(id);
const DEBOUNCE_MS = 200;
let timer = null;
let searches = 0; // the number of the latest search: only its answer is shown
let matches = [];
let active = -1;
let chosen = null; // called with the organization picked

/** "ENTERPRISE" -> "Enterprise": how plans read in sentences. */
export function planName(plan) {
  if (plan === null || plan === undefined || plan === '') return '(no plan)';
  return enumWords(plan);
}

/** What a match reads as: "Hooli — org_hooli — Pro". */
export function label(org) {
  return `${org.name} — ${org.id} — ${planName(org.plan)}`;
}

/** Wires the search box; onChoose(organization) runs when one is picked. */
export function setUp(onChoose) {
  chosen = onChoose;
  const input = $('org-search');
  input.value = '';
  close();
  input.oninput = () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(input.value.trim()), DEBOUNCE_MS);
  };
  input.onkeydown = keydown;
  input.onblur = () => setTimeout(close, 150);
}

async function search(q) {
  const mine = ++searches;
  if (q === '') {
    close();
    return;
  }
  try {
    const { body } = await call('GET', `${organizationsPath()}?q=${encodeURIComponent(q)}&limit=10`);
    if (mine === searches) show(body.organizations, q);
  } catch (e) {
    showError(e);
  }
}

function show(found, q) {
  matches = found;
  active = found.length ? 0 : -1;
  const list = $('org-matches');
  list.replaceChildren(...(found.length
    ? found.map((org, i) => el('li', {
      id: 'org-match-' + i, role: 'option', 'data-id': org.id, 'aria-selected': i === active ? 'true' : 'false',
      onmousedown: (event) => {
        event.preventDefault();
        pick(i);
      },
    }, el('strong', {}, org.name), ` — ${org.id} — ${planName(org.plan)}`))
    : [el('li', { className: 'muted', role: 'option', 'aria-disabled': 'true' }, `No organization in the directory matches “${q}”.`)]));
  list.hidden = false;
  $('org-search').setAttribute('aria-expanded', 'true');
  mark();
}

function mark() {
  const input = $('org-search');
  for (const item of document.querySelectorAll('#org-matches [data-id]')) {
    item.setAttribute('aria-selected', item.id === 'org-match-' + active ? 'true' : 'false');
  }
  if (active >= 0) input.setAttribute('aria-activedescendant', 'org-match-' + active);
  else input.removeAttribute('aria-activedescendant');
}

function keydown(event) {
  const open = !$('org-matches').hidden && matches.length > 0;
  if (event.key === 'ArrowDown' && open) {
    active = (active + 1) % matches.length;
  } else if (event.key === 'ArrowUp' && open) {
    active = (active - 1 + matches.length) % matches.length;
  } else if (event.key === 'Enter' && open && active >= 0) {
    pick(active);
  } else if (event.key === 'Escape') {
    close();
  } else {
    return;
  }
  event.preventDefault();
  mark();
}

function pick(i) {
  const org = matches[i];
  $('org-search').value = org.name;
  close();
  chosen(org);
}

function close() {
  matches = [];
  active = -1;
  $('org-matches').hidden = true;
  $('org-matches').replaceChildren();
  $('org-search').setAttribute('aria-expanded', 'false');
  $('org-search').removeAttribute('aria-activedescendant');
}
