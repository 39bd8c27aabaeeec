// What the page knows: who is signed in, the environment, the schema and the environment's logic with its revision.
import { call, env } from './api.js';
import { statusSeen } from './ui.js';

export const state = {
  me: null, // {name, role}
  environment: null,
  schema: null, // {fields, contextAttributes}
  logic: null, // the snapshot document
  revision: null, // the logic's revision: the If-Match of every write
  requireApproval: false, // whether the environment's edits become change requests
};

const RANK = { viewer: 0, editor: 1, approver: 2, admin: 3 };

/** Whether the signed-in role includes `role`. */
export function can(role) {
  return state.me !== null && RANK[state.me.role] >= RANK[role];
}

/** The fields that have values (not namespaces), as the schema endpoint lists them. */
export function leafFields() {
  return state.schema.fields.filter((f) => !f.object);
}

export function attribute(name) {
  return state.schema.contextAttributes.find((a) => a.attribute === name);
}

export async function reloadLogic() {
  const { body, etag } = await call('GET', env(state.environment) + '/logic');
  state.logic = body;
  state.revision = Number(etag);
  statusSeen(state.revision, state.environment);
  state.requireApproval = (await call('GET', env(state.environment) + '/settings')).body.requireApproval;
}

/**
 * The override row for `key` in the field's table keyed by `by`: {value, from, until} (from and until only for a row
 * with a time window, under the table's `rows`), or undefined.
 */
export function overrideEntry(path, by, key) {
  const logic = state.logic.fields && state.logic.fields[path];
  const table = logic && (logic.overrides || []).find((t) => t.by === by);
  if (!table) return undefined;
  const has = (map) => map && Object.prototype.hasOwnProperty.call(map, key);
  if (has(table.values)) return { value: table.values[key] };
  if (has(table.rows)) return table.rows[key];
  return undefined;
}

/** The value of the override row for `key` in the field's table keyed by `by`, whatever its window, or undefined. */
export function overrideRow(path, by, key) {
  const entry = overrideEntry(path, by, key);
  return entry === undefined ? undefined : entry.value;
}
