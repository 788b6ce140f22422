// Debian's Chromium, headless, with a fresh profile (Playwright passes it as --user-data-dir) and
// nothing that reaches the network on its own.

import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function launch(viewport) {
  const profile = mkdtempSync(join(tmpdir(), 'hop3-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: viewport || { width: 1280, height: 900 },
  });
  // a page of a platform under test on a busy machine may take longer than Playwright's 30 s
  context.setDefaultTimeout(90000);
  context.setDefaultNavigationTimeout(90000);
  return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}
