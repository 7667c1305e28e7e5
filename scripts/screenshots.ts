/**
 * `npm run screenshots`: drives the real shell (built dist/, figmentd with the
 * scripted model, Debian Chromium) and saves PNGs under docs/screenshots/ of
 * the launcher, progress with its preview, a running app, a consent card and
 * settings, each in the default and the high-contrast theme:
 * `<screen>-default.png`, `<screen>-high-contrast.png`.
 *
 * It finds things by role and name, as a person would, so it keeps working
 * while the screens change. Needs `npm run build` first.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Theme } from '../services/protocol/index.js';
import { ApiClient } from '../test/support/ApiClient.js';
import { startInTheme } from '../test/support/axe.js';
import { launchChromium } from '../test/support/browser.js';
import { FakeGeoClue } from '../test/support/FakeGeoClue.js';
import { PrivateBus } from '../test/support/PrivateBus.js';
import { repoRoot, scriptedApps, startDaemon } from '../test/support/startDaemon.js';

const OUT = join(repoRoot, 'docs/screenshots');
const themes: [string, Theme['mode']][] = [
  ['default', 'light'],
  ['high-contrast', 'high-contrast'],
];

/** The counter (made on screen, to show progress) and "Where am I" (stored first; it asks for the location). */
function writeScript(): string {
  const read = (path: string) =>
    (JSON.parse(readFileSync(path, 'utf8')) as { responses: unknown[] }).responses;
  const location = read(join(repoRoot, 'test/fixtures/location-app.json'));
  const path = join(mkdtempSync(join(tmpdir(), 'figment-shots-')), 'script.json');
  writeFileSync(path, JSON.stringify({ responses: [...read(scriptedApps), ...location] }));
  return path;
}

async function shoot(page: Page, name: string, theme: string): Promise<void> {
  // The pointer rests off the controls (no hover colour), and the last layout settles.
  await page.mouse.move(1279, 799);
  await page.waitForTimeout(300);
  const path = join(OUT, `${name}-${theme}.png`);
  await page.screenshot({ path });
  console.log(JSON.stringify({ screenshot: path }));
}

async function run(browser: Browser, bus: PrivateBus, script: string, theme: string, mode: Theme['mode']) {
  const daemon = await startDaemon({
    env: {
      FIGMENT_MODEL_SCRIPT: script,
      // Slow enough to catch the progress screen with its preview.
      FIGMENT_MODEL_SCRIPT_DELAY_MS: '60',
      FIGMENT_GEOCLUE_BUS: bus.address,
      FIGMENT_BUS: bus.address,
    },
  });
  try {
    const api = await ApiClient.connect(`${daemon.url.replace('http', 'ws')}/api?token=${daemon.token}`, {
      Origin: daemon.url,
    });
    const stored = await api.call('ask', { text: 'make an app that tells me where am i' }, 60_000);
    api.close();
    if (stored.type !== 'reply') throw new Error(`could not store "Where am I": ${JSON.stringify(stored)}`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await startInTheme(page, mode);
    await page.goto(daemon.shellUrl);
    const intent = page.getByLabel('What do you need?');
    await intent.waitFor();

    // Progress, caught while the model writes and the preview shows the app taking shape.
    await intent.fill('a counter with a big plus button');
    await page.getByRole('button', { name: 'Make it' }).click();
    // The preview is inert and hidden from the accessibility tree (a picture, not a control): found by tag.
    await page.frameLocator('iframe.preview-frame').locator('button').waitFor({ timeout: 30_000 });
    await shoot(page, 'progress', theme);

    const app = page.frameLocator('iframe.app-frame');
    await app.getByRole('button', { name: 'Add one' }).waitFor({ timeout: 30_000 });
    await app.getByRole('button', { name: 'Add one' }).click();
    await shoot(page, 'running-app', theme);

    await page
      .getByRole('button', { name: /^Close/ })
      .first()
      .click();
    await page
      .getByRole('button', { name: /Where am I/ })
      .first()
      .waitFor();
    await shoot(page, 'launcher', theme);

    await page
      .getByRole('button', { name: /Where am I/ })
      .first()
      .click();
    await app.getByRole('button', { name: 'Where am I?' }).click();
    const card = page.getByRole('alertdialog');
    await card.waitFor();
    await shoot(page, 'consent', theme);
    await card.getByRole('button', { name: 'Don’t allow' }).click();
    await page
      .getByRole('button', { name: /^Close/ })
      .first()
      .click();

    // Settings opens at System: wait for the doctor's report rather than its "Checking…" line.
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.locator('.doctor-rows').getByText('Threads', { exact: true }).waitFor({ timeout: 60_000 });
    await shoot(page, 'settings', theme);
    await page.close();
  } finally {
    await daemon.stop();
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(repoRoot, 'dist/services/figmentd/main.js'))) {
    throw new Error('dist/ is missing: run "npm run build" first');
  }
  mkdirSync(OUT, { recursive: true });
  const script = writeScript();
  const bus = await PrivateBus.start();
  const geoclue = await FakeGeoClue.start(bus.address, {
    latitude: 48.8584,
    longitude: 2.2945,
    accuracy: 25,
  });
  const browser = await launchChromium();
  try {
    for (const [theme, mode] of themes) await run(browser, bus, script, theme, mode);
  } finally {
    await browser.close();
    geoclue.dispose();
    await bus.dispose();
  }
}

await main();
