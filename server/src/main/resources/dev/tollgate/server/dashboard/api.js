// The admin API: with a token in the Authorization header only (never in a URL, never in a cookie), or, for a
// person signed in through the company's identity provider, with the server's HttpOnly session cookie plus the
// Tollgate-CSRF header that a page on another site cannot send.

/** A refusal from the server: status, code, message and, for invalid logic, the problems. */
export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `the server answered ${status}`);
    this.status = status;
    this.code = error.code || 'http_' + status;
    this.problems = error.problems || [];
    this.currentRevision = error.currentRevision;
  }
}

const KEY = 'tollgate.token';

export function savedToken() {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token) {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}

const seg = (s) => encodeURIComponent(s);

/** Calls the admin API. Answers {body, etag}; throws ApiError when the server refuses. */
export async function call(method, path, { body, csv, ifMatch, message } = {}) {
  const token = savedToken();
  const headers = token
    ? { Authorization: 'Bearer ' + token, Accept: 'application/json' }
    : { 'Tollgate-CSRF': '1', Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csv !== undefined) headers['Content-Type'] = 'text/csv; charset=utf-8';
  if (ifMatch !== undefined) headers['If-Match'] = `"${ifMatch}"`;
  if (message) headers['Tollgate-Message'] = encodeURIComponent(message);
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: csv !== undefined ? csv : body === undefined ? undefined : JSON.stringify(body),
      credentials: token ? 'omit' : 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, { error: { message: 'cannot reach the server: ' + e.message } });
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) throw new ApiError(response.status, json);
  const etag = response.headers.get('ETag');
  return { body: json, etag: etag ? etag.replace(/"/g, '').split('-')[0] : null, status: response.status };
}

export const env = (name) => `/v1/admin/environments/${seg(name)}`;
export const fieldPath = (name, path) => `${env(name)}/fields/${seg(path)}`;
export const overridePath = (name, path, attribute, key) =>
  `${fieldPath(name, path)}/overrides/${seg(attribute)}/${seg(key)}`;
export const metersPath = (name) => `${env(name)}/meters`;
export const memberPath = (name, segment, key) => `${env(name)}/segments/${seg(segment)}/members/${seg(key)}`;
export const organizationsPath = (id) => '/v1/admin/organizations' + (id === undefined ? '' : '/' + seg(id));
