// Measures the dashboard in Debian's headless Chromium (scripts/bench-dashboard runs it):
//   first load   a fresh browser profile (nothing cached) opens /dashboard/ with a token in the tab:
//                time from navigation to the apps page drawn with its data (main[aria-busy=false]),
//                and to the login form ready for typing in a tab without a token;
//   deploy event an open events page; a config change (a release) is made through the API; time
//                from the platform recording the DEPLOYED event (its time) to the page showing it.
// Environment: HOP3_URL, ADMIN_TOKEN, APP (deployed). Prints one JSON line per run.

import { launch } from './chromium.mjs';

const base = process.env.HOP3_URL;
const token = process.env.ADMIN_TOKEN;
const app = process.env.APP;
const runs = Number(process.env.RUNS || 3);

async function once(run) {
  const { context, close } = await launch();
  try {
    // the login form, from a cold profile
    const page = context.pages()[0] || await context.newPage();
    let t0 = Date.now();
    await page.goto(`${base}/dashboard/`);
    await page.locator('#user:focus').waitFor();
    const loginReady = Date.now() - t0;
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return { domContentLoaded: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd),
        bytes: performance.getEntriesByType('resource').reduce((s, r) => s + (r.encodedBodySize || 0), n.encodedBodySize || 0) };
    });
    // a tab with a token: the apps page with its data
    await page.evaluate(t => sessionStorage.setItem('hop3.token', t), token);
    const fresh = await context.newPage();
    await fresh.addInitScript(t => sessionStorage.setItem('hop3.token', t), token);
    t0 = Date.now();
    await fresh.goto(`${base}/dashboard/#/apps`);
    await fresh.locator('main[aria-busy="false"] table').waitFor();
    const appsReady = Date.now() - t0;

    // a deploy event, from the platform to the open page
    await fresh.goto(`${base}/dashboard/#/events?app=${app}`);
    await fresh.getByText('Live: updates show as they happen.').waitFor();
    await fresh.evaluate(() => {
      window.shownAt = {};
      new MutationObserver(records => {
        for (const r of records) for (const n of r.addedNodes) {
          if (n.dataset && n.dataset.event) window.shownAt[n.dataset.event] = Date.now();
        }
      }).observe(document.getElementById('timeline'), { childList: true });
    });
    const r = await fetch(`${base}/api/v1/apps/${app}/config`, {
      method: 'PATCH', body: JSON.stringify({ BENCH_RUN: String(run) }),
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    });
    if (!r.ok) throw new Error(`config change: ${r.status} ${await r.text()}`);
    const events = await (await fetch(`${base}/api/v1/events?app=${app}&limit=5`, { headers: { Authorization: `Bearer ${token}` } })).json();
    const deployed = events.items.filter(e => e.kind === 'deployed').pop();
    await fresh.locator(`[data-event="${deployed.id}"]`).waitFor({ timeout: 10000 });
    const shown = await fresh.evaluate(id => window.shownAt[id], String(deployed.id));
    const eventToPage = shown - Date.parse(deployed.time);
    console.log(JSON.stringify({ run, loginReadyMs: loginReady, appsPageReadyMs: appsReady, domContentLoadedMs: nav.domContentLoaded,
      loadMs: nav.load, bytes: nav.bytes, deployEventToPageMs: eventToPage }));
  } finally {
    await close();
  }
}

for (let i = 1; i <= runs; i++) {
  await once(i);
}
