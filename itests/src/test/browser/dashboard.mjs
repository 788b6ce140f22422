// Drives the dashboard in Debian's headless Chromium, as a user does: logs in with a token, watches
// a git push's deploy log stream into the page, sets a config var and sees the new release, rolls
// back, reads each page (a screenshot of each, and axe-core's accessibility check with no serious
// violation); then a directory viewer is refused a wrong password and logs in with the right one,
// whose page offers no change, whose forged calls are refused (by their role, and without the
// header the page sends, as from another site), and who logs out.
//
// Environment: HOP3_URL (http://127.0.0.1:<api port>), ADMIN_TOKEN, VIEWER_USER and
// VIEWER_PASSWORD (a directory user in a viewers' group), APP (created, not yet pushed), APP_SOURCE
// (a git working copy of the app, committed), GIT_URL, GIT_SSH_COMMAND, SHOTS (folder for
// screenshots). Prints one line per step; exits 1 at the first failure.

import { launch } from './chromium.mjs';
import { spawn } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { request } from 'node:http';

const env = process.env;
const base = env.HOP3_URL;
const app = env.APP;
const shots = env.SHOTS;
const require = createRequire(import.meta.url);
const axeSource = readFileSync(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function log(step, detail) {
  console.log(`${step}${detail ? ': ' + detail : ''}`);
}

async function login(page, token) {
  await page.goto(`${base}/dashboard/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Use the token' }).click();
  await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor();
  await page.locator('main[aria-busy="false"]').waitFor();
}

async function loginWithPassword(page, user, password) {
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

const violations = [];
async function accessible(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3) }));
  });
  const serious = result.filter(v => v.impact === 'serious' || v.impact === 'critical');
  log(`axe ${name}`, `${result.length} violations, ${serious.length} serious or critical`
    + (result.length ? ' ' + JSON.stringify(result) : ''));
  if (serious.length) violations.push({ page: name, serious });
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

function push() {
  const child = spawn('git', ['push', env.GIT_URL, 'main:main'], {
    cwd: env.APP_SOURCE, env: { ...process.env, GIT_SSH_COMMAND: env.GIT_SSH_COMMAND }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', d => { output += d; });
  child.stderr.on('data', d => { output += d; });
  const done = new Promise(resolve => child.on('close', code => resolve({ code, output })));
  return { done, running: () => child.exitCode === null };
}

/** One GET to the app through the platform's proxy; its status. */
function visit(path) {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port: Number(env.HTTP_PORT), path, headers: { Host: `${app}.localhost` } }, res => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    r.on('error', reject);
    r.end();
  });
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const { context, close } = await launch();
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('dialog', d => d.accept());
    const errors = [];
    page.on('pageerror', e => errors.push(e.message));
    // the browser logs every 404 of the API (no metrics yet, no certificate yet), which the page handles
    page.on('console', m => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
    page.on('response', r => { if (r.url().includes('/dashboard/') && r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });

    const started = Date.now();
    await login(page, env.ADMIN_TOKEN);
    log('logged in as admin', `${Date.now() - started} ms`);
    await shot(page, '01-apps');
    await accessible(page, 'apps');

    // the deploy log of a push, streamed while git is still pushing
    await page.goto(`${base}/dashboard/#/apps/${app}/deploy`);
    await page.getByText('Live: updates show as they happen.').waitFor();
    const pushing = push();
    await page.locator('#deploy-log', { hasText: '----->' }).waitFor({ timeout: 120000 });
    const firstLine = await page.locator('#deploy-log').textContent();
    check(pushing.running(), 'the first deploy lines showed only after git push had ended');
    log('deploy log streamed while git push ran', JSON.stringify(firstLine.split('\n')[0]));
    await page.locator('#deploy-log[data-state="ok"]').waitFor({ timeout: 300000 });
    const pushed = await pushing.done;
    check(pushed.code === 0, `git push failed: ${pushed.output}`);
    const shown = await page.locator('#deploy-log').textContent();
    check(shown.includes('-----> Done.'), 'the page does not show the end of the deploy');
    log('deploy succeeded, the page says so', `${shown.split('\n').length} lines`);
    // traffic for the graphs, read further down
    let answered = 0;
    for (let i = 0; i < 40; i++) answered += (await visit('/')) === 200 ? 1 : 0;
    check(answered === 40, `the app answered ${answered} of 40 requests`);
    await shot(page, '02-deploy-log');
    await accessible(page, 'deploy log');

    // a config var makes a new release, which the page shows without a reload
    await page.goto(`${base}/dashboard/#/apps/${app}`);
    await page.locator('[data-release="1"]').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('GREETING');
    await page.getByLabel('Value', { exact: true }).fill('hello from the dashboard');
    await page.getByRole('button', { name: 'Set', exact: true }).click();
    await page.locator('[data-release="2"]').waitFor({ timeout: 120000 });
    await page.getByRole('cell', { name: 'GREETING', exact: true }).waitFor();
    check(!(await page.content()).includes('hello from the dashboard'), 'the value of a config var is shown in the page');
    log('config var set', 'v2 shown, its value masked');
    await shot(page, '03-app');
    await accessible(page, 'app');

    // roll back to v1: a new release v3
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await page.locator('[data-release="3"]').waitFor({ timeout: 120000 });
    const facts = await page.locator('[data-release="3"]').textContent();
    check(facts.includes('Rollback to v1'), `the current release is not the rollback: ${facts}`);
    log('rolled back', facts);
    await shot(page, '04-app-after-rollback');

    // the graphs show the traffic: the minute's requests per second, latency and memory
    const rate = page.locator('figure', { has: page.locator('figcaption', { hasText: 'web: requests per second' }) });
    const until = Date.now() + 150000;
    let summary = '';
    for (;;) {
      await page.goto(`${base}/dashboard/#/events`);
      await page.goto(`${base}/dashboard/#/apps/${app}`);
      await page.locator('main[aria-busy="false"]').waitFor();
      summary = (await rate.count()) ? await rate.locator('p').textContent() : '';
      if (/highest [1-9]|highest 0\.[0-9]*[1-9]/.test(summary) || Date.now() > until) break;
      await new Promise(r => setTimeout(r, 5000));
    }
    check(/highest [1-9]|highest 0\.[0-9]*[1-9]/.test(summary), `the requests graph shows no traffic: ${summary || 'no such graph'}`);
    for (const name of ['web: latency p50 (ms)', 'web: memory (bytes)']) {
      const figure = page.locator('figure', { has: page.locator('figcaption', { hasText: name }) });
      check((await figure.count()) === 1 && !(await figure.locator('p').textContent()).startsWith('No points'),
        `no points in the graph ${name}`);
    }
    log('graphs after traffic', summary);
    await shot(page, '04b-app-graphs');

    // the apps page shows the request rate of the last whole minute (counted when the minute
    // closes): traffic goes on while the page is read, so whichever minute closed last had some
    let perSecond = 0;
    let shownRate = '';
    const until2 = Date.now() + 180000;
    while (!(perSecond > 0) && Date.now() < until2) {
      for (let i = 0; i < 10; i++) await visit('/');
      await page.goto(`${base}/dashboard/#/events`);
      await page.goto(`${base}/dashboard/#/apps`);
      // the cell of this app's row: only the apps page has it (aria-busy may still be the events page's)
      const cell = page.locator('tr', { has: page.locator(`a[href="#/apps/${app}"]`) })
        .locator('td[data-label="Requests/s (last minute)"]');
      await cell.waitFor({ timeout: 30000 }).catch(async e => {
        throw new Error(`the apps page has no request rate cell for ${app}; it shows: ${(await page.locator('main').textContent()).slice(0, 800)}`);
      });
      shownRate = (await cell.textContent()).trim();
      perSecond = Number(shownRate);
      if (!(perSecond > 0)) await new Promise(r => setTimeout(r, 5000));
    }
    check(perSecond > 0, `the apps page shows no request rate for ${app} after 3 minutes of traffic: ${shownRate}`);
    log('apps page request rate', `${perSecond}/s`);

    await page.goto(`${base}/dashboard/#/events?app=${app}`);
    await page.locator('#timeline li', { hasText: 'Deployed v3' }).waitFor();
    log('events', `${await page.locator('#timeline li').count()} of ${app}`);
    await shot(page, '05-events');
    await accessible(page, 'events');

    for (const [path, heading, name] of [['plugins', 'Plugins', '06-plugins'], ['users', 'Users', '07-users'],
      ['audit', 'Audit trail', '08-audit']]) {
      await page.goto(`${base}/dashboard/#/${path}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.locator('main[aria-busy="false"]').waitFor();
      await shot(page, name);
      await accessible(page, path);
    }
    check((await page.locator('td', { hasText: 'config.set' }).count()) >= 1, 'the audit trail shows no config change');

    // the same pages on a phone's screen
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/dashboard/#/apps/${app}`);
    await page.locator('[data-release="3"]').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `the app page is ${overflow} px wider than a phone's screen`);
    await shot(page, '09-app-phone');
    await accessible(page, 'app on a phone');
    check(errors.length === 0, `the page logged errors: ${errors.join('; ')}`);

    // a viewer from the directory logs in with a password, sees, and may change nothing
    // a tab of its own, with no token: the session's cookie is the browser's
    const viewer = await context.newPage();
    await viewer.goto(`${base}/dashboard/`);
    await viewer.locator('#user:focus').waitFor();
    await shot(viewer, '10-login');
    await accessible(viewer, 'login');
    await loginWithPassword(viewer, env.VIEWER_USER, 'not-the-password');
    const wrong = await viewer.getByRole('alert').textContent();
    check(/not right/.test(wrong), `a wrong password says: ${wrong}`);
    log('wrong password refused', wrong);
    await loginWithPassword(viewer, env.VIEWER_USER, env.VIEWER_PASSWORD);
    await viewer.getByRole('heading', { name: 'Apps', level: 1 }).waitFor();
    await viewer.locator('main[aria-busy="false"]').waitFor();
    check(await viewer.evaluate(() => sessionStorage.getItem('hop3.token') === null && !document.cookie.includes('hop3_session')),
      "the session's secret is out of the page's scripts' reach");
    const whoText = await viewer.locator('#who').textContent();
    check(whoText.includes(env.VIEWER_USER) && whoText.includes('viewer'), `the page says who is logged in: ${whoText}`);
    log('logged in with a password', whoText);
    await viewer.goto(`${base}/dashboard/#/apps/${app}`);
    await viewer.locator('[data-release="3"]').waitFor();
    const buttons = await viewer.locator('main button').allTextContents();
    check(buttons.length === 0, `a viewer's app page has buttons: ${buttons.join(', ')}`);
    check((await viewer.locator('main form').count()) === 0, "a viewer's app page has forms");
    check((await viewer.locator('nav a', { hasText: 'Users' }).isVisible()) === false, 'a viewer sees the users page in the menu');
    const forged = await viewer.evaluate(async ([a]) => {
      const change = { method: 'PATCH', body: JSON.stringify({ GREETING: 'forged' }) };
      const withHeader = await fetch(`/api/v1/apps/${a}/config`,
        { ...change, headers: { 'Content-Type': 'application/json', 'X-Hop3-Csrf': '1' } });
      const without = await fetch(`/api/v1/apps/${a}/config`, { ...change, headers: { 'Content-Type': 'application/json' } });
      return [withHeader.status, (await withHeader.json()).code, without.status, (await without.json()).code];
    }, [app]);
    check(forged[0] === 403 && forged[1] === 'forbidden', `a viewer's forged change was answered ${forged}`);
    check(forged[2] === 403 && forged[3] === 'csrf-refused', `a change without the page's header was answered ${forged}`);
    log("viewer's page has no change buttons; its forged calls", forged.join(' '));
    await shot(viewer, '11-app-viewer');
    await accessible(viewer, 'app as a viewer');

    // the events stream and the menu work with the session alone
    await viewer.goto(`${base}/dashboard/#/events?app=${app}`);
    await viewer.locator('#timeline li', { hasText: 'Deployed v3' }).waitFor();
    await viewer.getByRole('button', { name: 'Log out' }).click();
    await viewer.getByRole('heading', { name: 'Log in to Hop3', level: 1 }).waitFor();
    const after = await viewer.evaluate(async () => (await fetch('/api/v1/me')).status);
    check(after === 401, `after the logout, the API answered ${after}`);
    await viewer.reload();
    await viewer.locator('#user:focus').waitFor();
    log('logged out', `the API answers ${after}; a reload shows the login`);

    check(violations.length === 0, `serious accessibility violations: ${JSON.stringify(violations)}`);
    log('done');
  } finally {
    await close();
  }
}

main().catch(e => {
  console.log(`FAILED: ${e.stack || e.message}`);
  process.exit(1);
});
