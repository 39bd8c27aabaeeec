// Small DOM helpers: elements, messages, the typed value inputs and the one dialog.

/** Creates an element: el('button', {type: 'button', onclick: f}, 'Save'). Text is always text, never HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'className') node.className = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children.flat()) node.append(child instanceof Node ? child : String(child));
  return node;
}

const $ = (id) => document.getElementById(id);

/** What went wrong, as a list a person can act on (validation problems one per line). */
export function errorContent(error) {
  const parts = [el('p', {}, error.message)];
  if (error.problems && error.problems.length) {
    parts.push(el('ul', {}, error.problems.map((p) => el('li', {}, el('code', {}, p.path), ': ', p.message))));
  }
  return parts;
}

export function showError(error) {
  const box = $('alert');
  box.replaceChildren(...errorContent(error));
  box.hidden = false;
}

export function clearError() {
  $('alert').hidden = true;
  $('alert').replaceChildren();
}

let statusRevision = null; // the revision the status line speaks of ("Saved: ... revision 12"), if it speaks of one

/**
 * Shows what just happened. With `revision`, the line speaks of that revision of the logic and goes away once the page
 * loads a later one: "Saved" must not stay on screen after another person changed the value.
 */
export function status(text, { revision } = {}) {
  $('status').textContent = text;
  statusRevision = revision === undefined ? null : revision;
}

/** Called with each revision of the logic the page loads; replaces a status line about an older one. */
export function statusSeen(revision, environment) {
  if (statusRevision === null || revision <= statusRevision) return;
  $('status').textContent = `Changed since: ${environment} is now at revision ${revision}; what is shown is current.`;
  statusRevision = null;
}

/**
 * The status line for an edit that became a change request instead of being published: "Sent for review: ...", with
 * a link to the Changes view and who approves it.
 */
export function sentForReview(text, request) {
  const link = el('a', { href: '#changes', id: 'review-link', onclick: (event) => {
    event.preventDefault();
    document.querySelector('[data-view=changes]').click();
  } }, `change request #${request.id}`);
  $('status').replaceChildren(`Sent for review: ${text}. See `, link,
    request.requiredRole === 'admin' ? '; an admin approves it.' : '; an approver approves it.');
}

/** Words that read as capitals in a name. */
const ACRONYMS = { api: 'API', url: 'URL', sso: 'SSO', ip: 'IP', id: 'ID' };

/** "Max team size" -> "max team size", for the middle of a sentence; acronyms stay as they are. */
export function lowerFirst(text) {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/**
 * "maxTeamSize" -> "Max team size"; "organization.plan" -> "Organization plan"; "args.endpoint" (a field's argument in
 * a rule) -> "Endpoint": a name from the schema in words.
 */
export function words(name) {
  const text = name.replace(/^(context|entitlements|args)\./, '').replace(/\./g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase()
    .split(' ').map((w) => ACRONYMS[w] || w).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "ENTERPRISE" -> "Enterprise", "EARLY_ACCESS" -> "Early access": an enum value as it reads in a sentence. */
export function enumWords(value) {
  return value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ');
}

/** "Int!" -> "a whole number"; what a field's type means, for the details under its name. */
export function typeWords(type) {
  const { base, list } = typeOf(type);
  const one = { Int: 'a whole number', Float: 'a number', Boolean: 'on or off', String: 'text' }[base] || base;
  return list ? `a list (${one})` : one;
}

/** "Int!" -> {base: "Int", list: false}; "[String!]" -> {base: "String", list: true}. */
export function typeOf(type) {
  const list = type.startsWith('[');
  return { base: type.replace(/[[\]!]/g, ''), list };
}

const NUMBERS = new Intl.NumberFormat(undefined, { maximumFractionDigits: 20 });

/** A value as a person reads it: numbers with thousands separators (100,000), text as is, the rest as JSON. */
export function format(value) {
  if (value === undefined) return '—';
  if (value === null) return 'null';
  if (typeof value === 'number') return NUMBERS.format(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The smallest and largest Int a snapshot holds: 32-bit, as in GraphQL. */
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * The bounds a number input accepts: the field's @range, within the Int limits for an Int; {min, max}, either
 * undefined when there is none.
 */
function numberBounds(field, base) {
  const c = field.constraints || {};
  const min = c.min !== undefined ? c.min : base === 'Int' ? INT_MIN : undefined;
  const max = c.max !== undefined ? c.max : base === 'Int' ? INT_MAX : undefined;
  return { min, max };
}

/** "from 0 to 100,000", "at least 0", "at most 10": the bounds in words, or '' when there are none. */
function boundsText(min, max, unit = '') {
  if (min !== undefined && max !== undefined) return `from ${format(min)} to ${format(max)}${unit}`;
  if (min !== undefined) return `at least ${format(min)}${unit}`;
  if (max !== undefined) return `at most ${format(max)}${unit}`;
  return '';
}

/** Why `n` is not a value of the number field, or null: not a number, not whole, or out of bounds. */
function numberProblem(n, base, { min, max }) {
  if (!Number.isFinite(n) || (base === 'Int' && !Number.isInteger(n))) {
    return base === 'Int' ? 'a whole number is needed' : 'a number is needed';
  }
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    return `${format(n)} is not allowed: the value must be ${boundsText(min, max)}`;
  }
  return null;
}

/** Why `text` is not a value of the String field, or null: its @length and @pattern. */
function textProblem(text, field) {
  const c = field.constraints || {};
  const length = [...text].length;
  if ((c.minLength !== undefined && length < c.minLength) || (c.maxLength !== undefined && length > c.maxLength)) {
    return `${format(length)} characters is not allowed: the value must be ${boundsText(c.minLength, c.maxLength, ' characters')}`;
  }
  if (c.pattern !== undefined && !fullMatch(c.pattern, text)) {
    return `"${text}" does not have the form this entitlement needs (${c.pattern})`;
  }
  return null;
}

/** Whether the whole of `text` matches the schema's @pattern; a pattern this browser cannot read is left to the server. */
function fullMatch(pattern, text) {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u').test(text);
  } catch (e) {
    return true;
  }
}

/**
 * Wraps an input with the field's allowed values in words under it and a message that shows, as the person types,
 * why what they typed cannot be saved. `problem()` answers that message or null; read() throws it.
 */
function checked(input, label, allowed, problem) {
  const id = input.id;
  const hint = allowed ? el('span', { className: 'hint allowed', id: id + '-allowed' }, `Allowed: ${allowed}.`) : null;
  const message = el('span', { className: 'problem', id: id + '-problem', hidden: true });
  input.setAttribute('aria-describedby', [hint && hint.id, message.id].filter(Boolean).join(' '));
  const show = () => {
    const why = input.value === '' ? null : problem();
    message.hidden = !why;
    message.textContent = why ? `${label}: ${why}.` : '';
    if (why) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    return why;
  };
  input.addEventListener('input', show);
  return {
    node: el('span', { className: 'checked' }, input, hint, message),
    check: () => {
      const why = show();
      if (why) throw new Error(`${label}: ${why}.`);
    },
  };
}

/**
 * An input that enforces the field's type: a number for Int and Float, a switch for Boolean, a select for enums,
 * text for String, JSON for lists and objects. read() answers the value or throws a message.
 */
export function valueInput(id, field, current, { optional = false } = {}) {
  const { base, list } = typeOf(field.type);
  const label = field.label || 'Value';
  if (!list && field.enumValues) {
    const select = el('select', { id },
      optional ? el('option', { value: '' }, '(none)') : null,
      field.enumValues.map((v) => el('option', { value: v, selected: v === current }, enumWords(v))));
    if (optional && current === undefined) select.value = '';
    return { node: select, label, read: () => (select.value === '' ? undefined : select.value) };
  }
  if (!list && base === 'Boolean' && !optional) {
    const box = el('input', { id, type: 'checkbox', role: 'switch', className: 'switch', checked: current === true });
    return { node: box, label, read: () => box.checked };
  }
  if (!list && base === 'Boolean') {
    const select = el('select', { id },
      el('option', { value: '' }, '(none)'),
      el('option', { value: 'true', selected: current === true }, 'true'),
      el('option', { value: 'false', selected: current === false }, 'false'));
    return { node: select, label, read: () => (select.value === '' ? undefined : select.value === 'true') };
  }
  if (!list && (base === 'Int' || base === 'Float')) {
    const bounds = numberBounds(field, base);
    const input = el('input', {
      id, type: 'number', inputmode: base === 'Int' ? 'numeric' : 'decimal',
      step: base === 'Int' ? '1' : 'any', value: current === undefined ? '' : String(current),
      min: bounds.min, max: bounds.max, required: !optional, className: 'number',
    });
    const c = field.constraints || {};
    const wrapped = checked(input, label, boundsText(c.min, c.max), () => numberProblem(Number(input.value), base, bounds));
    return {
      node: wrapped.node, label,
      read: () => {
        if (input.value.trim() === '') {
          if (optional) return undefined;
          throw new Error(`${label}: enter a number`);
        }
        wrapped.check();
        return Number(input.value);
      },
    };
  }
  if (!list && base === 'String') {
    const c = field.constraints || {};
    const input = el('input', {
      id, type: 'text', value: current === undefined ? '' : current, spellcheck: 'false',
      minlength: c.minLength, maxlength: c.maxLength,
    });
    const allowed = [boundsText(c.minLength, c.maxLength, ' characters'), c.pattern ? `matching ${c.pattern}` : '']
      .filter(Boolean).join(', ');
    const wrapped = checked(input, label, allowed, () => textProblem(input.value, field));
    return {
      node: wrapped.node, label,
      read: () => {
        if (optional && input.value === '') return undefined;
        wrapped.check();
        return input.value;
      },
    };
  }
  const area = el('textarea', { id, rows: '3', spellcheck: 'false' }, current === undefined ? '' : JSON.stringify(current));
  return {
    node: area, label: label + ' (JSON)',
    read: () => {
      if (optional && area.value.trim() === '') return undefined;
      try {
        return JSON.parse(area.value);
      } catch (e) {
        throw new Error(`${label}: not valid JSON`);
      }
    },
  };
}

/**
 * Opens the dialog. onOk() may throw (the message is shown and the dialog stays open, with what was typed) or answer
 * false to stay open. Answers a promise that settles when the dialog closes: true after OK, false after Cancel (or
 * Escape), 'back' after Back, which a confirmation step offers (`back: true`) to return to its form.
 */
export function openDialog({ title, body, ok = 'OK', onOk, back = false }) {
  const dialog = $('dialog');
  $('dialog-title').textContent = title;
  $('dialog-body').replaceChildren(...[body].flat(Infinity).filter(Boolean));
  $('dialog-ok').textContent = ok;
  $('dialog-back').hidden = !back;
  dialogError(null);
  const form = $('dialog-form');
  return new Promise((resolve) => {
    const close = (result) => {
      form.removeEventListener('submit', submit);
      $('dialog-cancel').removeEventListener('click', cancel);
      $('dialog-back').removeEventListener('click', goBack);
      dialog.removeEventListener('cancel', cancel);
      dialog.close();
      resolve(result);
    };
    const submit = async (event) => {
      event.preventDefault();
      $('dialog-ok').disabled = true;
      try {
        if ((await onOk()) !== false) close(true);
      } catch (e) {
        dialogError(e);
      } finally {
        $('dialog-ok').disabled = false;
      }
    };
    const cancel = (event) => {
      event.preventDefault();
      close(false);
    };
    const goBack = (event) => {
      event.preventDefault();
      close('back');
    };
    form.addEventListener('submit', submit);
    $('dialog-cancel').addEventListener('click', cancel);
    $('dialog-back').addEventListener('click', goBack);
    dialog.addEventListener('cancel', cancel);
    dialog.showModal();
    const first = $('dialog-body').querySelector('input, select, textarea');
    (first || $('dialog-ok')).focus();
  });
}

export function dialogError(error) {
  const box = $('dialog-error');
  box.hidden = !error;
  box.replaceChildren(...(error ? errorContent(error) : []));
}
