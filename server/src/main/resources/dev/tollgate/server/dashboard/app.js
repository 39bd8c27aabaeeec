// The dashboard's entry point: sign-in, the environment, and switching between the sections.
import { call, savedToken, saveToken } from './api.js';
import { clearError, showError, status } from './ui.js';
import { can, reloadLogic, state } from './state.js';
import * as org from './org.js';
import * as expiring from './expiring.js';
import * as plans from './plans.js';
import * as segments from './segments.js';
import * as history from './history.js';
import * as changes from './changes.js';
import * as usage from './usage.js';
import * as directory from './directory.js';
import * as top from './top.js';
import * as webhooks from './webhooks.js';

const $ = (id) => document.getElementById(id);
const VIEWS = { org, expiring, plans, segments, changes, history, usage, top, directory, webhooks };
let current = 'org';

/** Signs in with `token`, or with the session cookie when `token` is null (after the company sign-in). */
async function signIn(token) {
  saveToken(token);
  try {
    state.me = (await call('GET', '/v1/auth/me')).body;
    const environments = (await call('GET', '/v1/admin/environments')).body.environments;
    state.schema = await schema();
    $('env').replaceChildren(...environments.map((e) => new Option(e.name, e.name)));
    state.environment = environments.length ? environments[0].name : null;
  } catch (e) {
    if (token !== null) saveToken(null); // a token typed meanwhile is not the session's to clear
    state.me = null;
    if (token === null && e.status === 401) return; // no session: the sign-in screen stays
    showError(e.status === 401 ? new Error('That token is unknown, expired or revoked.') : e);
    return;
  }
  clearError();
  $('token').value = '';
  $('who').replaceChildren(`${state.me.name} · role `, Object.assign(document.createElement('strong'), {
    textContent: state.me.role, id: 'role',
  }));
  document.body.dataset.role = state.me.role;
  for (const button of document.querySelectorAll('[data-view][data-role]')) {
    button.parentElement.hidden = !can(button.dataset.role);
  }
  $('signin').hidden = true;
  $('session').hidden = false;
  $('app').hidden = false;
  if (!state.schema) {
    $('app').hidden = true;
    showError(new Error('No schema has been uploaded to this server yet, so there are no entitlements to show. '
      + 'A developer uploads it first (PUT /v1/admin/schema, see the server guide); then reload this page.'));
    return;
  }
  org.setUp();
  top.setUp(openOrganization);
  await show(current);
}

/** The schema, or null when none is uploaded yet (a fresh server): the page then says what to do. */
async function schema() {
  try {
    return (await call('GET', '/v1/admin/schema')).body;
  } catch (e) {
    if (e.status === 404) return null;
    throw e;
  }
}

async function signOut() {
  if (!savedToken()) {
    try {
      await call('POST', '/v1/auth/logout');
    } catch (e) {
      showError(e);
    }
  }
  saveToken(null);
  state.me = null;
  delete document.body.dataset.role;
  $('app').hidden = true;
  $('session').hidden = true;
  $('signin').hidden = false;
  status('Signed out.');
  $('token').focus();
}

/** Shows one section, reloading the logic first so that what is shown is the current revision. */
export async function show(name) {
  current = name;
  for (const button of document.querySelectorAll('[data-view]')) {
    if (button.dataset.view === name) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  for (const view of Object.keys(VIEWS)) $('view-' + view).hidden = view !== name;
  try {
    clearError();
    await reloadLogic();
    await VIEWS[name].render();
  } catch (e) {
    if (e.status === 401) {
      const person = state.me && state.me.kind === 'person';
      await signOut();
      showError(new Error(person
        ? 'Your session has ended (signed out, or unused for too long): sign in again.'
        : 'Your token is no longer valid (revoked or expired): sign in again.'));
      return;
    }
    showError(e);
  }
}

/** Opens a key on the organization page, from the list of who is close to a limit. */
async function openOrganization(by, key, entry, args) {
  await show('org');
  await org.open(by, key, entry, args);
}

$('signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn($('token').value.trim());
});
$('signout').addEventListener('click', signOut);
$('env').addEventListener('change', () => {
  state.environment = $('env').value;
  show(current);
});
for (const button of document.querySelectorAll('[data-view]')) {
  button.addEventListener('click', () => show(button.dataset.view));
}
/** Shows "Sign in with ..." when the server signs people in through their company's identity provider. */
async function offerCompanySignIn() {
  try {
    const config = (await call('GET', '/v1/auth/config')).body;
    if (!config.oidc) return;
    $('sso-link').textContent = 'Sign in with ' + (config.provider || 'your company account');
    $('sso').hidden = false;
  } catch (e) {
    // An older server without /v1/auth/config: tokens only.
  }
}

offerCompanySignIn();
if (savedToken()) signIn(savedToken());
else signIn(null);
