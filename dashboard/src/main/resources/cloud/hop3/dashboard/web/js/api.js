// The REST API, as the dashboard uses it: either the session of a password login, whose secret is
// in an HttpOnly cookie that the browser sends with the API's requests (scripts never see it), or a
// bearer token typed at login and kept for this tab only. Every request carries X-Hop3-Csrf, which
// the API requires of a change made with the session's cookie: a page of another site cannot send it.

export const BASE = '/api/v1';
const KEY = 'hop3.token';
export const CSRF = { 'X-Hop3-Csrf': '1' };

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function token() { return sessionStorage.getItem(KEY); }
export function setToken(t) { sessionStorage.setItem(KEY, t); }
export function forget() { sessionStorage.removeItem(KEY); }

let onUnauthenticated = () => {};
export function whenUnauthenticated(fn) { onUnauthenticated = fn; }

export async function call(method, path, body, headers) {
  const h = { Accept: 'application/json', ...CSRF, ...(headers || {}) };
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const r = await fetch(BASE + path, {
    method, headers: h, cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status === 204) return null;
  const type = r.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await r.json() : await r.text();
  if (!r.ok) {
    if (r.status === 401) onUnauthenticated();
    throw new ApiError(r.status, typeof data === 'object' ? data : { detail: data });
  }
  return data;
}

/** Logs in with a user name and password: the answer sets the session's cookie. */
export async function login(user, password) {
  forget();
  const r = await fetch(`${BASE}/session`, {
    method: 'POST', cache: 'no-store', headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...CSRF },
    body: JSON.stringify({ user, password }),
  });
  const data = (r.headers.get('Content-Type') || '').includes('json') ? await r.json() : {};
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

/** Logs out: forgets the token, or ends the session (and the browser drops its cookie). */
export async function logout() {
  if (token()) {
    forget();
    return;
  }
  await fetch(`${BASE}/session`, { method: 'DELETE', cache: 'no-store', headers: { ...CSRF } }).catch(() => {});
}

export const get = path => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);
export const patch = (path, body) => call('PATCH', path, body);
export const del = path => call('DELETE', path);

/** GET that answers null instead of failing when the platform has no such thing (404) or not now (503). */
export async function maybe(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e.status === 404 || e.status === 503) return null;
    throw e;
  }
}

export const enc = encodeURIComponent;
