// The REST API, as the dashboard uses it: a bearer token kept for this tab only.

export const BASE = '/api/v1';
const KEY = 'hop3.token';

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
  const h = { Accept: 'application/json', ...(headers || {}) };
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
