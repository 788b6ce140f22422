// The dashboard's shell: login (a user name and password, or an API token), who the user is, the
// menu, and the page of the URL's hash (#/apps, #/apps/<app>, #/apps/<app>/deploy, #/events,
// #/plugins, #/users, #/audit).

import { h, replace, announce } from './dom.js';
import { get, token, setToken, forget, login, logout, whenUnauthenticated, ApiError } from './api.js';
import * as views from './views.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
let me = null;
let cleanups = [];
// the number of the latest route(): a page still loading when another is asked for draws into
// its own element, no longer shown, and never over the later page
let routes = 0;

/** What the user may do: admins everything, deployers change their apps, viewers nothing. */
function can(permission, app) {
  if (!me) return false;
  if (me.admin) return true;
  if (permission === 'create_destroy' || permission === 'administer') return false;
  return me.grants.some(g => g.role === 'deployer' && app && g.apps.includes(app));
}

function cleanup() {
  for (const fn of cleanups) {
    try { fn(); } catch (e) { /* a stream already closed */ }
  }
  cleanups = [];
}

/** What a refused login says. */
function refusal(err, what) {
  if (!(err instanceof ApiError)) return `Cannot log in: ${err.message}`;
  if (err.status === 401) return what;
  return err.message;
}

async function enter(error, focus) {
  try {
    me = await get('/me');
    if (!location.hash.startsWith('#/') || location.hash === '#/login') location.hash = '#/apps';
    else route();
  } catch (err) {
    forget();
    error.hidden = false;
    error.textContent = refusal(err, 'This token is not valid (unknown, revoked or expired).');
    focus.focus();
  }
}

function loginPage(message) {
  cleanup();
  me = null;
  nav.hidden = true;
  replace(who);
  const error = h('p', { class: 'notice error', role: 'alert', hidden: !message }, message || '');
  const user = h('input', { id: 'user', name: 'username', type: 'text', autocomplete: 'username', required: true,
    autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password',
    required: true, 'aria-describedby': 'password-help' });
  const withPassword = h('form', { class: 'login', onsubmit: async e => {
    e.preventDefault();
    const button = withPassword.querySelector('button');
    button.disabled = true;
    try {
      await login(user.value.trim(), password.value);
      password.value = '';
      await enter(error, user);
    } catch (err) {
      error.hidden = false;
      error.textContent = refusal(err, 'The user name or the password is not right, or this user may not log in here.');
      password.value = '';
      password.focus();
    } finally {
      button.disabled = false;
    }
  } },
  h('p', {}, h('label', { for: 'user' }, 'User name')),
  h('p', {}, user),
  h('p', {}, h('label', { for: 'password' }, 'Password')),
  h('p', {}, password),
  h('p', { id: 'password-help', class: 'muted' },
    'Your directory (LDAP) password, or the password an operator gave you. The session ends after 12 hours without use,',
    ' when you log out, or when the platform restarts.'),
  h('p', {}, h('button', { type: 'submit' }, 'Log in')));

  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    'aria-describedby': 'token-help' });
  const withToken = h('form', { class: 'login', onsubmit: async e => {
    e.preventDefault();
    setToken(input.value.trim());
    await enter(error, input);
  } },
  h('h2', {}, 'Or use an API token'),
  h('p', {}, h('label', { for: 'token' }, 'API token')),
  h('p', {}, input),
  h('p', { id: 'token-help', class: 'muted' },
    'An admin makes one with ', h('code', {}, 'token:create <user>'), ' (or ', h('code', {}, 'bin/hop3 token create <user>'),
    '). It is kept in this tab only, until you log out or close it.'),
  h('p', {}, h('button', { type: 'submit', class: 'secondary' }, 'Use the token')));
  replace(main, h('h1', {}, 'Log in to Hop3'), error, withPassword, withToken);
  main.setAttribute('aria-busy', 'false');
  document.title = 'Log in · Hop3';
  user.focus();
}

function chrome() {
  nav.hidden = false;
  for (const li of nav.querySelectorAll('[data-admin]')) li.hidden = !me.admin;
  const role = me.admin ? 'admin' : me.grants.map(g => g.role + (g.apps.length ? ' of ' + g.apps.join(', ') : '')).join('; ') || 'no role';
  replace(who, h('span', {}, me.user, ' ', h('span', { class: 'muted-light' }, `(${role})`)),
    h('button', { type: 'button', class: 'secondary', onclick: async () => {
      await logout();
      me = null;
      location.hash = '#/login';
      loginPage();
    } }, 'Log out'));
  for (const a of nav.querySelectorAll('a')) {
    const here = location.hash.startsWith(a.getAttribute('href'));
    if (here) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

async function route() {
  cleanup();
  const turn = ++routes;
  if (!me) {
    // with no token, the session's cookie (if the browser has one) says who this is
    const hadToken = !!token();
    try {
      me = await get('/me');
    } catch (e) {
      forget();
      const ended = hadToken || (e.problem && e.problem.code === 'invalid-session');
      return loginPage(e.status !== 401 ? e.message : ended ? 'Your session ended; log in again.' : undefined);
    }
  }
  chrome();
  const hash = location.hash || '#/apps';
  const [path, query] = hash.slice(1).split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const ctx = { me, can, params, onLeave: fn => { if (turn === routes) cleanups.push(fn); else fn(); } };
  if (turn !== routes) return;
  const view = h('div', { class: 'view' }, h('p', {}, 'Loading…'));
  replace(main, view);
  main.setAttribute('aria-busy', 'true');
  try {
    if (parts[0] === 'apps' && parts.length === 1) await views.apps(view, ctx);
    else if (parts[0] === 'apps' && parts[2] === 'deploy') await views.deployLog(view, ctx, parts[1]);
    else if (parts[0] === 'apps' && parts.length === 2) await views.app(view, ctx, parts[1]);
    else if (parts[0] === 'events') await views.events(view, ctx);
    else if (parts[0] === 'plugins') await views.plugins(view, ctx);
    else if (parts[0] === 'users' && me.admin) await views.users(view, ctx);
    else if (parts[0] === 'audit' && me.admin) await views.audit(view, ctx);
    else if (parts[0] === 'login') { location.hash = '#/apps'; return; }
    else replace(view, h('h1', {}, 'Not found'), h('p', {}, 'There is no such page. ', h('a', { href: '#/apps' }, 'See the apps.')));
  } catch (e) {
    replace(view, h('h1', {}, 'Something went wrong'), h('p', { class: 'notice error', role: 'alert' }, e.message));
  }
  if (turn !== routes) return;
  main.setAttribute('aria-busy', 'false');
  const title = main.querySelector('h1');
  document.title = title ? `${title.textContent} · Hop3` : 'Hop3';
  announce(document.title);
}

whenUnauthenticated(() => { if (me) { forget(); loginPage('Your session ended; log in again.'); } });
document.getElementById('skip').addEventListener('click', e => { e.preventDefault(); main.focus(); });
window.addEventListener('hashchange', () => {
  if (location.hash.startsWith('#/')) {
    route().then(() => main.focus({ preventScroll: true }));
  }
});
route();
