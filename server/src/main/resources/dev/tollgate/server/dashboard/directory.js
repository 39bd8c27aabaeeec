// The customer directory's upload screen (admins): pick a CSV, see its first rows and what it would create and change
// (the server checks it without writing), or every problem with its line; then Upload.
import { call, organizationsPath } from './api.js';
import { el, errorContent, format, showError, status } from './ui.js';
import { can } from './state.js';
import { planName } from './find.js';

const $ = (id) => document.getElementById(id);
const MAX_BYTES = 4 * 1024 * 1024;
let pending = null; // the CSV text the last check accepted: what Upload sends

export async function render() {
  pending = null;
  if (!can('admin')) {
    $('directory-body').replaceChildren(el('p', {}, 'Only admins upload the customer directory; it usually comes '
      + 'from the billing system. Search it on Organizations.'));
    return;
  }
  $('directory-body').replaceChildren(
    el('p', {}, 'The directory holds each customer’s id, name and plan, so that Organizations finds customers by '
      + 'name and takes their plan from it. The billing system usually keeps it up to date; upload a CSV here to '
      + 'fill it the first time or to correct it.'),
    el('form', { className: 'card', id: 'directory-form' },
      el('div', { className: 'field' }, el('label', { for: 'directory-file' }, 'CSV file'),
        el('input', { id: 'directory-file', type: 'file', accept: '.csv,text/csv', 'aria-describedby': 'directory-format' })),
      el('p', { className: 'hint', id: 'directory-format' }, 'A header line ', el('code', {}, 'id,name,plan'),
        ', then a column per context attribute (such as ', el('code', {}, 'organization.region'), '), then a line per '
        + 'organization, at most 10,000. Organizations in the file are created or updated; the others stay as they are.'),
      el('div', { id: 'directory-check' }),
      el('button', { type: 'submit', id: 'directory-upload', className: 'primary', disabled: true }, 'Upload')));
  $('directory-file').onchange = () => check($('directory-file').files[0]);
  $('directory-form').onsubmit = (event) => {
    event.preventDefault();
    upload();
  };
}

/** Has the server check the file without writing; shows the preview and the counts, or the problems. */
async function check(file) {
  pending = null;
  $('directory-upload').disabled = true;
  if (!file) {
    $('directory-check').replaceChildren();
    return;
  }
  if (file.size > MAX_BYTES) {
    refused(new Error(`${file.name} is larger than 4 MiB: split it into several files.`));
    return;
  }
  const text = await file.text();
  try {
    const { body } = await call('PUT', organizationsPath() + '?dryRun=true', { csv: text });
    $('directory-check').replaceChildren(preview(body.preview, body.rows),
      el('p', { id: 'directory-counts' }, `${counts(body)}. Nothing is written until you press Upload.`));
    pending = text;
    $('directory-upload').disabled = false;
  } catch (e) {
    refused(e);
  }
}

function refused(error) {
  $('directory-check').replaceChildren(el('div', { className: 'alert', id: 'directory-errors', role: 'alert' },
    errorContent(error)));
}

function counts(body) {
  return `${body.rows} ${body.rows === 1 ? 'organization' : 'organizations'}: ${body.created} new, `
    + `${body.updated} changed, ${body.unchanged} unchanged`;
}

function preview(rows, total) {
  const attributes = (org) => Object.entries(org.attributes).map(([k, v]) => `${k}: ${format(v)}`).join(', ');
  return el('table', { className: 'grid', id: 'directory-preview' },
    el('caption', {}, total > rows.length ? `The first ${rows.length} of ${total}` : `All ${total}`),
    el('thead', {}, el('tr', {}, ['Id', 'Name', 'Plan', 'Attributes'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((org) => el('tr', {},
      el('td', {}, org.id), el('td', {}, org.name), el('td', {}, planName(org.plan)), el('td', {}, attributes(org))))));
}

async function upload() {
  if (pending === null) return;
  $('directory-upload').disabled = true;
  try {
    const { body } = await call('PUT', organizationsPath(), { csv: pending });
    pending = null;
    $('directory-check').replaceChildren(el('p', { id: 'directory-done' }, `Uploaded. ${counts(body)}.`));
    status(`Uploaded the directory: ${counts(body)}.`);
  } catch (e) {
    $('directory-upload').disabled = false;
    showError(e);
  }
}
