// A dashboard page left in the background while things happen: the events page of an app is open,
// Chromium freezes the page (what it does to a tab in the background: no script runs), the
// platform restarts (the page's event stream is cut) and the app gets a new release. When the page
// runs again, it shows each event it missed, once, in order, without a reload: it reconnects and
// the platform replays from the last event id the page had seen.
//
// Environment: HOP3_URL (http://127.0.0.1:<api port>), ADMIN_TOKEN, APP (deployed), HOP3_DIST (the
// distribution's folder, where bin/hop3 restart is run with this environment).
// Prints one line per step; exits 1 at the first failure.

import { launch } from './chromium.mjs';
import { spawnSync } from 'node:child_process';

const env = process.env;
const base = env.HOP3_URL;
const app = env.APP;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function log(step, detail) {
  console.log(`${step}${detail ? ': ' + detail : ''}`);
}

async function api(method, path, body) {
  const r = await fetch(`${base}/api/v1${path}`, {
    method, headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  check(r.ok, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function main() {
  const { context, close } = await launch();
  try {
    const page = context.pages()[0] || await context.newPage();
    const errors = [];
    page.on('pageerror', e => errors.push(e.message));
    await page.goto(`${base}/dashboard/`);
    await page.getByLabel('API token').fill(env.ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Use the token' }).click();
    await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor();
    await page.goto(`${base}/dashboard/#/events?app=${app}`);
    await page.locator('#timeline li[data-event]').first().waitFor();
    await page.getByText('Live: updates show as they happen.').waitFor();
    const seen = await page.locator('#timeline li[data-event]').evaluateAll(items => items.map(i => Number(i.dataset.event)));
    const last = Math.max(...seen);
    await page.evaluate(() => { window.hop3SamePage = true; });

    const cdp = await context.newCDPSession(page);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    log('page frozen', `last event shown ${last}`);

    const restart = spawnSync('bin/hop3', ['restart'], { cwd: env.HOP3_DIST, env, encoding: 'utf8', timeout: 300000 });
    check(restart.status === 0, `bin/hop3 restart failed (${restart.status}): ${restart.stdout}${restart.stderr}`);
    log('platform restarted while the page was frozen');
    await api('PATCH', `/apps/${app}/config`, { BACKGROUND: 'set while the page was frozen' });
    const missed = (await api('GET', `/events?app=${app}&limit=200`)).items.map(e => e.id).filter(id => id > last);
    check(missed.length >= 2, `the config change made ${missed.length} events`);
    log('events while frozen', missed.join(' '));

    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    for (const id of missed) {
      await page.locator(`#timeline li[data-event="${id}"]`).waitFor({ timeout: 60000 });
    }
    const shown = await page.locator('#timeline li[data-event]').evaluateAll(items => items.map(i => Number(i.dataset.event)));
    check(new Set(shown).size === shown.length, `an event is shown twice: ${shown.join(' ')}`);
    const after = shown.filter(id => id > last);
    check(after.every((id, i) => i === 0 || after[i - 1] > id) && shown.indexOf(after[after.length - 1]) === after.length - 1,
      `the missed events are not at the top, newest first: ${shown.join(' ')} for ${missed.join(' ')}`);
    check(await page.evaluate(() => window.hop3SamePage === true), 'the page was reloaded');
    check(errors.length === 0, `the page logged errors: ${errors.join('; ')}`);
    log('caught up without a reload', `${missed.length} missed events shown once, newest first`);
    log('done');
  } finally {
    await close();
  }
}

main().catch(e => {
  console.log(`FAILED: ${e.stack || e.message}`);
  process.exit(1);
});
