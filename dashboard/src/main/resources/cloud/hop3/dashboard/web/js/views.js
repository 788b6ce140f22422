// The pages. Each reads the REST API, draws itself, and follows the platform's events to redraw
// what changed; change buttons appear only for users who may make the change.

import { h, replace, table, time, ago, announce } from './dom.js';
import { get, post, patch, del, maybe, enc, ApiError } from './api.js';
import { follow } from './stream.js';
import { chart, seriesOf } from './graph.js';

// --- helpers ---------------------------------------------------------------------------------

function stateOf(processes, release) {
  if (!release) return 'no release';
  if (!processes || !processes.length) return 'stopped';
  const states = processes.map(p => String(p.state).toLowerCase());
  if (states.includes('crashed')) return 'crashed';
  if (states.every(s => s === 'running')) return 'running';
  return states.find(s => s !== 'running') || 'running';
}

function state(text) {
  return h('span', { class: `state state-${text.replace(/\s+/g, '-')}` }, text);
}

function liveLine() {
  const p = h('p', { class: 'live', role: 'status' }, 'Connecting to live updates…');
  return {
    el: p,
    state(s, status) {
      p.textContent = s === 'live' ? 'Live: updates show as they happen.'
        : s === 'refused' ? `Live updates refused (${status}).` : 'Reconnecting; missed updates will be replayed…';
    },
  };
}

/** Runs an action from a button: disables it meanwhile, says what happened in `out`. */
function action(label, cls, run, out) {
  const b = h('button', { type: 'button', class: cls }, label);
  b.addEventListener('click', async () => {
    b.disabled = true;
    const before = b.textContent;
    b.textContent = `${before}…`;
    try {
      const msg = await run();
      if (msg !== false && out) say(out, msg || `${before}: done.`);
    } catch (e) {
      if (out) say(out, e.message, true);
    } finally {
      b.disabled = false;
      b.textContent = before;
    }
  });
  return b;
}

function say(out, text, bad) {
  out.hidden = false;
  out.className = bad ? 'notice error' : 'notice';
  out.setAttribute('role', bad ? 'alert' : 'status');
  out.textContent = text;
  announce(text);
}

function notice() {
  return h('p', { class: 'notice', hidden: true });
}

function debounce(fn, ms) {
  let t = null;
  return () => { clearTimeout(t); t = setTimeout(fn, ms); };
}

function describe(e) {
  const p = e.properties || {};
  const who = p.actor ? ` by ${p.actor}${p['actor.door'] ? ' (' + p['actor.door'] + ')' : ''}` : '';
  const what = {
    created: 'App created', destroyed: 'App destroyed', deploy_started: 'Deploy started', deployed: 'Deployed',
    deploy_failed: 'Deploy failed', deploy_interrupted: 'Deploy interrupted by a platform stop', scaled: 'Scaled',
    crashed: 'Crashed', out_of_memory: 'Out of memory', issued: 'Certificate issued', failed: 'Failed',
    check_failed: 'Backup check failed', installed: 'Plugin installed', removed: 'Plugin removed',
  }[e.kind] || e.kind;
  const area = e.topic.split('/')[2];
  const prefix = area === 'backup' && e.kind !== 'check_failed' ? (e.kind === 'created' ? 'Backup taken' : 'Backup failed')
    : area === 'tls' && e.kind === 'failed' ? 'Certificate failed' : what;
  const rel = p.release ? ` v${p.release}` : '';
  const plugin = p.plugin ? ` ${p.plugin} ${p.version || ''}` : '';
  return `${prefix}${rel}${plugin}${who}${p.message ? ': ' + p.message : ''}`;
}

function badness(e) {
  return /failed|crashed|out_of_memory|interrupted/.test(e.kind) || (e.topic.includes('/backup/') && e.kind === 'failed')
    ? 'bad' : /deployed|issued|created|installed/.test(e.kind) ? 'ok' : '';
}

function eventItem(e) {
  return h('li', { class: badness(e), 'data-event': e.id },
    time(e.time), ' ', e.app ? h('a', { href: `#/apps/${enc(e.app)}` }, e.app) : h('span', { class: 'muted' }, 'platform'),
    ' — ', describe(e));
}

// --- apps ------------------------------------------------------------------------------------

export async function apps(main, ctx) {
  const live = liveLine();
  const body = h('div', {}, h('p', {}, 'Loading…'));
  replace(main, h('h1', {}, 'Apps'), live.el, body);
  const rows = new Map();
  let lastDeploys = new Map();

  async function row(name) {
    const [info, cert, backups, metrics] = await Promise.all([
      get(`/apps/${enc(name)}`), maybe(`/apps/${enc(name)}/certificate`), maybe(`/backups?app=${enc(name)}`),
      maybe(`/apps/${enc(name)}/metrics?since=PT2M`)]);
    // the rate of the last whole minute: the minute in progress (the series' last point, up to
    // "to") has counted only part of its requests
    const ended = metrics ? Date.parse(metrics.to) : 0;
    const minutes = (metrics && metrics.processTypes && metrics.processTypes.web || [])
      .filter(m => Date.parse(m.minute) + 60000 <= ended);
    const rate = minutes.length ? minutes[minutes.length - 1].requestsPerSecond : null;
    const rel = info.current_release;
    const procs = info.processes || [];
    const last = lastDeploys.get(name);
    const backup = backups && backups.items && backups.items.length ? backups.items[backups.items.length - 1] : null;
    const certText = !cert ? '—' : cert.failure ? `failing: ${cert.failure}`
      : cert.not_after ? `valid until ${new Date(cert.not_after).toLocaleDateString()}${cert.trusted ? '' : ' (self-signed)'}` : 'none yet';
    return [
      h('a', { href: `#/apps/${enc(name)}` }, name),
      state(stateOf(procs, rel)),
      rel ? `v${rel.number}` : '—',
      procs.length ? Object.entries(procs.reduce((m, p) => ({ ...m, [p.type]: (m[p.type] || 0) + 1 }), {}))
        .map(([t, n]) => `${t}×${n}`).join(', ') : '0',
      (info.hosts || info.domains || []).join(', ') || '—',
      last ? h('span', { class: badness(last) }, `${last.kind === 'deployed' ? 'ok' : 'failed'}, ${ago(last.time)}`) : '—',
      backup ? ago(backup.manifest ? backup.manifest.created : backup.created) : 'none',
      h('span', { class: cert && cert.failure ? 'bad' : '' }, certText),
      rate === null ? '—' : h('span', { 'data-rate': name }, `${Math.round(rate * 100) / 100}`),
    ];
  }

  async function draw() {
    const [list, events] = await Promise.all([get('/apps?limit=500'), get('/events?limit=1000')]);
    lastDeploys = new Map();
    for (const e of events.items) {
      if (e.app && (e.kind === 'deployed' || e.kind === 'deploy_failed')) lastDeploys.set(e.app, e);
    }
    const names = list.items.map(a => a.name);
    const all = await Promise.all(names.map(n => row(n).catch(err => [n, err.message, '', '', '', '', '', '', ''])));
    names.forEach((n, i) => rows.set(n, all[i]));
    replace(body, table('Apps', ['App', 'State', 'Release', 'Processes', 'Domains', 'Last deploy', 'Last backup', 'Certificate',
      'Requests/s (last minute)'],
      all, 'No apps yet. Push one with git: git push hop3 main.'));
    return events.next_cursor;
  }

  const cursor = await draw();
  const redraw = debounce(() => draw().catch(() => {}), 300);
  const s = follow('/events', { lastId: cursor, onState: live.state, onMessage: () => redraw() });
  // the request rates change without events
  const rates = setInterval(() => { if (document.visibilityState === 'visible') redraw(); }, 15000);
  ctx.onLeave(() => { s.close(); clearInterval(rates); });
}

// --- one app ---------------------------------------------------------------------------------

export async function app(main, ctx, name) {
  const a = enc(name);
  const may = p => ctx.can(p, name);
  const live = liveLine();
  const out = notice();
  const sections = {
    facts: h('div', {}), processes: h('div', {}), releases: h('div', {}), config: h('div', {}), domains: h('div', {}),
    addons: h('div', {}), backups: h('div', {}), graphs: h('div', {}), events: h('ol', { class: 'timeline' }),
  };
  const logs = h('pre', { class: 'log', tabindex: '0', role: 'log', 'aria-live': 'off',
    'aria-label': `Output of ${name}'s processes` });
  replace(main,
    h('h1', {}, name),
    h('p', {}, h('a', { href: `#/apps/${a}/deploy` }, 'Latest deploy log'), ' · ', h('a', { href: `#/events?app=${a}` }, 'All events')),
    live.el, out,
    sections.facts,
    h('section', { 'aria-labelledby': 'h-proc' }, h('h2', { id: 'h-proc' }, 'Processes'), sections.processes),
    h('section', { 'aria-labelledby': 'h-rel' }, h('h2', { id: 'h-rel' }, 'Releases'), sections.releases),
    h('section', { 'aria-labelledby': 'h-conf' }, h('h2', { id: 'h-conf' }, 'Config vars'), sections.config),
    h('section', { 'aria-labelledby': 'h-dom' }, h('h2', { id: 'h-dom' }, 'Domains'), sections.domains),
    h('section', { 'aria-labelledby': 'h-add' }, h('h2', { id: 'h-add' }, 'Add-ons'), sections.addons),
    h('section', { 'aria-labelledby': 'h-bak' }, h('h2', { id: 'h-bak' }, 'Backups'), sections.backups),
    h('section', { 'aria-labelledby': 'h-met' }, h('h2', { id: 'h-met' }, 'Metrics'), sections.graphs),
    h('section', { 'aria-labelledby': 'h-log' }, h('h2', { id: 'h-log' }, 'Live logs'), logs),
    h('section', { 'aria-labelledby': 'h-ev' }, h('h2', { id: 'h-ev' }, 'Recent events'), sections.events));

  async function drawFacts() {
    const [info, cert] = await Promise.all([get(`/apps/${a}`), maybe(`/apps/${a}/certificate`)]);
    const rel = info.current_release;
    const procs = info.processes || [];
    const buttons = [];
    if (may('scale') && rel) {
      buttons.push(action('Restart', 'secondary', async () => { await post(`/apps/${a}/restart`); return 'Restarted.'; }, out));
      buttons.push(action('Stop', 'secondary', async () => { await post(`/apps/${a}/stop`); return 'Stopped.'; }, out));
      buttons.push(action('Start', 'secondary', async () => { await post(`/apps/${a}/start`); return 'Started.'; }, out));
    }
    replace(sections.facts,
      h('dl', { class: 'facts' },
        h('dt', {}, 'State'), h('dd', {}, state(stateOf(procs, rel))),
        h('dt', {}, 'Release'), h('dd', { 'data-release': rel ? rel.number : '' }, rel ? `v${rel.number} — ${rel.reason}` : 'none yet'),
        h('dt', {}, 'Addresses'), h('dd', {}, (info.hosts || []).join(', ') || '—'),
        h('dt', {}, 'Certificate'), h('dd', {}, !cert ? '—' : cert.failure ? h('span', { class: 'bad' }, cert.failure)
          : cert.not_after ? `valid until ${new Date(cert.not_after).toLocaleString()}` : 'none yet')),
      buttons.length ? h('div', { class: 'actions' }, buttons) : null);
    const formation = rel ? rel.formation : {};
    replace(sections.processes,
      table(`Processes of ${name}`, ['Process', 'State', 'Restarts', 'Release', 'Port', 'Since'],
        procs.map(p => [`${p.type}.${p.index}`, state(String(p.state).toLowerCase()), String(p.restarts), `v${p.release}`,
          String(p.port || '—'), time(p.since)]), 'No process runs.'),
      may('scale') && Object.keys(formation).length ? scaleForm(formation) : null);
  }

  function scaleForm(formation) {
    const inputs = Object.entries(formation).map(([type, n]) =>
      h('div', {}, h('label', { for: `scale-${type}` }, type), h('input', { id: `scale-${type}`, name: type, type: 'number',
        min: 0, max: 100, value: n, inputmode: 'numeric' })));
    return h('form', { class: 'inline', 'aria-label': 'Scale', onsubmit: async e => {
      e.preventDefault();
      const body = {};
      for (const i of e.target.querySelectorAll('input')) body[i.name] = Number(i.value);
      try { await patch(`/apps/${a}/formation`, body); say(out, 'Scaled.'); } catch (err) { say(out, err.message, true); }
    } }, inputs, h('button', { type: 'submit' }, 'Scale'));
  }

  async function drawReleases() {
    const [list, info] = await Promise.all([get(`/apps/${a}/releases`), get(`/apps/${a}`)]);
    const current = info.current_release ? info.current_release.number : null;
    replace(sections.releases, table(`Releases of ${name}`, ['Release', 'Why', 'Made', 'Action'],
      list.items.map(r => [
        `v${r.number}${r.number === current ? ' (current)' : ''}`, r.reason, time(r.created),
        may('rollback') && r.number !== current ? action(`Roll back to v${r.number}`, 'secondary', async () => {
          if (!confirm(`Roll ${name} back to v${r.number}? Its build, config and formation become a new release.`)) return false;
          const made = await post(`/apps/${a}/rollback`, { release: r.number });
          await Promise.all([drawFacts(), drawReleases()]);
          return `Rolled back: v${made.number} serves.`;
        }, out) : '',
      ]), 'No release yet.'));
  }

  async function drawConfig() {
    const answer = await get(`/apps/${a}/config`);
    const config = answer.config || {};
    const editing = may('config');
    replace(sections.config,
      table(`Config vars of ${name}`, editing ? ['Name', 'Value', 'Action'] : ['Name', 'Value'],
        Object.keys(config).sort().map(k => [h('code', {}, k), h('span', { class: 'muted', title: 'Hidden' }, '••••••'),
          editing ? action(`Remove ${k}`, 'secondary', async () => {
            if (!confirm(`Remove ${k} from ${name}? This makes a new release.`)) return false;
            await patch(`/apps/${a}/config`, { [k]: null });
            await drawConfig();
            return `${k} removed; a new release serves.`;
          }, out) : null].slice(0, editing ? 3 : 2)), 'No config var.'),
      editing ? h('form', { class: 'inline', 'aria-label': 'Set a config var', onsubmit: async e => {
        e.preventDefault();
        const f = e.target;
        const button = f.querySelector('button');
        button.disabled = true;
        try {
          await patch(`/apps/${a}/config`, { [f.key.value.trim()]: f.value.value });
          say(out, `${f.key.value.trim()} set; a new release serves.`);
          f.reset();
          await Promise.all([drawConfig(), drawFacts(), drawReleases()]);
        } catch (err) {
          say(out, err.message, true);
        } finally {
          button.disabled = false;
        }
      } },
      h('div', {}, h('label', { for: 'cfg-key' }, 'Name'), h('input', { id: 'cfg-key', name: 'key', required: true,
        pattern: '[A-Za-z_][A-Za-z0-9_]*', autocomplete: 'off', spellcheck: 'false' })),
      h('div', {}, h('label', { for: 'cfg-value' }, 'Value'), h('input', { id: 'cfg-value', name: 'value', type: 'password',
        autocomplete: 'off' })),
      h('button', { type: 'submit' }, 'Set')) : null);
  }

  async function drawDomains() {
    const list = await get(`/apps/${a}/domains`);
    const editing = may('domains');
    replace(sections.domains,
      table(`Domains of ${name}`, ['Host', 'Kind', 'Action'], list.items.map(d => [d.host, d.kind,
        editing && d.kind === 'added' ? action(`Remove ${d.host}`, 'secondary', async () => {
          if (!confirm(`Remove ${d.host} from ${name}?`)) return false;
          await del(`/apps/${a}/domains/${enc(d.host)}`);
          await drawDomains();
          return `${d.host} removed.`;
        }, out) : '']), 'No domain.'),
      editing ? h('form', { class: 'inline', 'aria-label': 'Add a domain', onsubmit: async e => {
        e.preventDefault();
        try {
          await post(`/apps/${a}/domains`, { host: e.target.host.value.trim() });
          say(out, `${e.target.host.value.trim()} added.`);
          e.target.reset();
          await drawDomains();
        } catch (err) { say(out, err.message, true); }
      } }, h('div', {}, h('label', { for: 'dom-host' }, 'Host name'), h('input', { id: 'dom-host', name: 'host', required: true,
        autocomplete: 'off' })), h('button', { type: 'submit' }, 'Add')) : null);
  }

  async function drawAddons() {
    const list = await maybe('/addons');
    const mine = list ? list.items.filter(x => x.attachments && Object.prototype.hasOwnProperty.call(x.attachments, name)) : [];
    replace(sections.addons, table(`Add-ons of ${name}`, ['Add-on', 'Type', 'Variable', 'Made'],
      mine.map(x => [x.name, x.type, h('code', {}, x.attachments[name]), time(x.created)]),
      list ? 'No add-on attached.' : 'The add-on service is not running.'));
  }

  async function drawBackups() {
    const list = await maybe(`/backups?app=${a}`);
    const editing = may('backups');
    if (!list) {
      replace(sections.backups, h('p', { class: 'muted' }, 'The backup service is not running.'));
      return;
    }
    const items = [...list.items].reverse();
    replace(sections.backups,
      editing ? h('div', { class: 'actions' }, action('Back up now', '', async () => {
        const made = await post(`/apps/${a}/backups`);
        await drawBackups();
        return `Backup ${made.backup.manifest.id} taken.`;
      }, out)) : null,
      table(`Backups of ${name}`, ['Backup', 'Taken', 'Release', 'Check', 'Action'], items.map(b => [
        b.manifest.id, time(b.manifest.created), `v${b.manifest.release}`,
        b.check ? h('span', { class: b.check.passed ? 'ok' : 'bad' }, b.check.passed ? 'passed' : `failed: ${b.check.detail}`) : 'not checked',
        editing ? action(`Restore ${b.manifest.id}`, 'danger', async () => {
          if (!confirm(`Restore ${name} from ${b.manifest.id}? Its data and config go back to that backup's.`)) return false;
          await post(`/backups/${enc(b.manifest.id)}/restore`, {});
          return `Restored from ${b.manifest.id}.`;
        }, out) : '']), 'No backup yet.'));
  }

  async function drawGraphs() {
    let answer = null;
    try {
      answer = await get(`/apps/${a}/metrics`);
    } catch (e) {
      if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 503)) throw e;
    }
    const series = seriesOf(answer);
    replace(sections.graphs, series.length ? h('div', { class: 'graphs' }, series.map(([n, pts]) => chart(n, pts)))
      : h('p', { class: 'muted' }, 'No metrics yet.'));
  }

  async function drawEvents() {
    const list = await get(`/events?app=${a}&limit=20`);
    replace(sections.events, [...list.items].reverse().map(eventItem));
    if (!list.items.length) replace(sections.events, h('li', { class: 'muted' }, 'No event yet.'));
    return list.next_cursor;
  }

  const parts = { facts: drawFacts, releases: drawReleases, config: drawConfig, domains: drawDomains, addons: drawAddons,
    backups: drawBackups, graphs: drawGraphs };
  const results = await Promise.allSettled(Object.values(parts).map(f => f()));
  results.forEach((r, i) => {
    if (r.status === 'rejected') replace(Object.values(sections)[i], h('p', { class: 'notice error' }, r.reason.message));
  });
  const cursor = await drawEvents();
  const redraw = debounce(() => {
    drawFacts().catch(() => {}); drawReleases().catch(() => {}); drawConfig().catch(() => {});
    drawBackups().catch(() => {}); drawEvents().catch(() => {});
  }, 250);
  const events = follow(`/events?app=${a}`, { lastId: cursor, onState: live.state, onMessage: redraw });
  ctx.onLeave(() => events.close());
  const graphTimer = setInterval(() => { if (document.visibilityState === 'visible') drawGraphs().catch(() => {}); }, 60000);
  ctx.onLeave(() => clearInterval(graphTimer));

  const output = follow(id => `/apps/${a}/logs${id ? `?cursor=${enc(id)}` : '?lines=200'}`, {
    onMessage: data => {
      const atEnd = logs.scrollTop + logs.clientHeight >= logs.scrollHeight - 4;
      logs.append(document.createTextNode(data + '\n'));
      while (logs.textContent.length > 200000) logs.removeChild(logs.firstChild);
      if (atEnd) logs.scrollTop = logs.scrollHeight;
    },
  });
  ctx.onLeave(() => output.close());
}

// --- deploy log ------------------------------------------------------------------------------

export async function deployLog(main, ctx, name) {
  const a = enc(name);
  const live = liveLine();
  const title = h('p', {}, '');
  const result = h('p', { role: 'status', 'aria-live': 'polite' }, '');
  const pre = h('pre', { class: 'log', tabindex: '0', role: 'log', 'aria-live': 'off',
    'aria-label': `Deploy log of ${name}`, id: 'deploy-log' });
  replace(main, h('h1', {}, `Deploy log of ${name}`), h('p', {}, h('a', { href: `#/apps/${a}` }, `Back to ${name}`)),
    live.el, title, result, pre);
  await get(`/apps/${a}`);
  let shown = null;
  const s = follow(`/apps/${a}/deploy-log`, {
    onState: live.state,
    onMessage: data => {
      const c = JSON.parse(data);
      if (c.deploy !== shown) {
        shown = c.deploy;
        pre.textContent = '';
      }
      if (!c.deploy) {
        title.textContent = 'No deploy since the platform keeps deploy logs. Push with git to see one here, live.';
        return;
      }
      title.textContent = `${c.title}, started ${new Date(c.started).toLocaleString()}`;
      if (c.lines.length) pre.append(document.createTextNode(c.lines.join('\n') + '\n'));
      pre.scrollTop = pre.scrollHeight;
      result.className = c.running ? 'warn' : c.ok ? 'ok' : 'bad';
      result.textContent = c.running ? 'Running…' : c.ok ? 'Succeeded.' : 'Failed; the previous release still serves.';
      pre.dataset.state = c.running ? 'running' : c.ok ? 'ok' : 'failed';
    },
  });
  ctx.onLeave(() => s.close());
}

// --- events ----------------------------------------------------------------------------------

export async function events(main, ctx) {
  const app = ctx.params.get('app') || '';
  const list = h('ol', { class: 'timeline', id: 'timeline' });
  const live = liveLine();
  const names = (await get('/apps?limit=500')).items.map(x => x.name);
  const select = h('select', { id: 'ev-app', name: 'app' }, h('option', { value: '' }, 'Every app'),
    names.map(n => h('option', { value: n, selected: n === app }, n)));
  replace(main, h('h1', {}, app ? `Events of ${app}` : 'Events'),
    h('form', { class: 'inline', onsubmit: e => { e.preventDefault(); location.hash = select.value ? `#/events?app=${enc(select.value)}` : '#/events'; } },
      h('div', {}, h('label', { for: 'ev-app' }, 'App'), select), h('button', { type: 'submit' }, 'Show')),
    live.el, list);
  const q = app ? `app=${enc(app)}&` : '';
  const page = await get(`/events?${q}limit=200`);
  replace(list, [...page.items].reverse().map(eventItem));
  if (!page.items.length) list.append(h('li', { class: 'muted', id: 'no-events' }, 'No event yet.'));
  const s = follow(`/events${app ? '?app=' + enc(app) : ''}`, {
    lastId: page.next_cursor, onState: live.state,
    onMessage: data => {
      const e = JSON.parse(data);
      const none = document.getElementById('no-events');
      if (none) none.remove();
      if (!list.querySelector(`[data-event="${e.id}"]`)) list.prepend(eventItem(e));
      announce(describe(e));
    },
  });
  ctx.onLeave(() => s.close());
}

// --- plugins, users, audit -------------------------------------------------------------------

export async function plugins(main) {
  const list = await get('/plugins');
  replace(main, h('h1', {}, 'Plugins'),
    table('Plugins', ['Kind', 'Name', 'Version', 'State', 'In use', 'Bundle'], list.items.map(p => [
      p.kind, p.name, p.version, h('span', { class: p.state === 'ACTIVE' || p.state === 'active' ? 'ok' : 'warn' }, String(p.state)),
      p.in_use ? 'yes' : 'no', p.bundle])),
    list.problems && list.problems.length ? h('section', {}, h('h2', {}, 'Problems'),
      h('ul', {}, list.problems.map(x => h('li', { class: 'bad' }, typeof x === 'string' ? x : JSON.stringify(x))))) : null);
}

export async function users(main) {
  const [list, tokens] = await Promise.all([get('/users'), get('/tokens')]);
  replace(main, h('h1', {}, 'Users'),
    table('Users', ['User', 'Roles', 'Keys', 'State', 'Added'], list.items.map(u => [u.name,
      u.grants.map(g => g.role + (g.apps && g.apps.length ? ' of ' + g.apps.join(', ') : '')).join('; ') || 'no role',
      (u.keys || []).join(', ') || '—', u.disabled ? h('span', { class: 'bad' }, 'disabled') : 'enabled', time(u.created)])),
    h('h2', {}, 'API tokens'),
    table('API tokens', ['Token', 'User', 'Made', 'Expires', 'Last used'], tokens.items.map(t => [t.id, t.user, time(t.created),
      t.expires ? time(t.expires) : 'never', t.last_used ? time(t.last_used) : 'never'])));
}

export async function audit(main, ctx) {
  const app = ctx.params.get('app');
  // the trail is read oldest first, a page at a time: keep the last 200 records
  let kept = [];
  let cursor = null;
  for (let page = 0; page < 100; page++) {
    const list = await get(`/audit?limit=1000${app ? '&app=' + enc(app) : ''}${cursor ? '&cursor=' + enc(cursor) : ''}`);
    kept = kept.concat(list.items).slice(-200);
    cursor = list.next_cursor;
    if (!cursor) break;
  }
  const items = kept.reverse();
  replace(main, h('h1', {}, 'Audit trail'), h('p', { class: 'muted' }, 'The latest changes first, with who made them and from where.'),
    table('Audit trail', ['#', 'When', 'Who', 'Door', 'What', 'On', 'Result'], items.map(r => [String(r.sequence), time(r.time),
      r.user, r.door, r.action + (r.details && r.details.length ? ' ' + r.details.join(' ') : ''), r.target,
      r.ok ? h('span', { class: 'ok' }, 'ok') : h('span', { class: 'bad' }, r.reason || 'failed')])));
}
