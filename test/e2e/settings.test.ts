import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextStore } from '../../services/figmentd/store/ContextStore.js';
import type { ServerMessage } from '../../services/protocol/messages.js';
import { ApiClient } from '../support/ApiClient.js';
import { allThemeModes, expectNoAxeViolations } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
import { type RunningDaemon, startDaemon } from '../support/startDaemon.js';

let browser: Browser;
let daemon: RunningDaemon;
let api: ApiClient;
let page: Page;

const SECTIONS = ['System', 'Display', 'Language', 'Privacy', 'Permissions'] as const;

beforeAll(async () => {
  browser = await launchChromium();
  daemon = await startDaemon();
  api = await ApiClient.connect(`${daemon.url.replace('http', 'ws')}/api?token=${daemon.token}`);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  api?.close();
  await browser?.close();
  await daemon?.stop();
});

function result<T>(message: ServerMessage): T {
  if (message.type !== 'reply') throw new Error(`expected a reply, got ${JSON.stringify(message)}`);
  return message.result as T;
}

async function makeCounter(): Promise<string> {
  return result<{ app: { id: string } }>(await api.call('generate', { intent: 'a counter app' }, 30_000)).app
    .id;
}

const settings = () => page.getByRole('region', { name: /^(Settings|Réglages)$/ });
const tab = (name: string) => page.getByRole('tab', { name, exact: true });

function appFrame(): Frame {
  const frame = page.frames().find((candidate) => candidate.url().includes('/frame/'));
  if (!frame) throw new Error('no app frame on the page');
  return frame;
}

async function openSettings(): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await settings().waitFor();
}

async function done(): Promise<void> {
  await settings().getByRole('button', { name: 'Done' }).click();
  await settings().waitFor({ state: 'hidden' });
}

describe('Settings on a screen that is not a kiosk', () => {
  it('sits behind one Settings button that shares the header row with the intent bar at 1280 px', async () => {
    await page.goto(daemon.shellUrl);
    await page.getByLabel('What do you need?').fill('a counter with a big plus button');
    await page.getByRole('button', { name: 'Make it' }).click();
    await page
      .frameLocator('iframe.app-frame')
      .getByRole('button', { name: 'Add one' })
      .waitFor({ timeout: 15_000 });

    const headerButtons = page.locator('header.top button');
    const names = await headerButtons.allTextContents();
    expect(names).toContain('Settings');
    for (const old of ['Display', 'Privacy', 'System']) expect(names).not.toContain(old);
    const input = await page.getByLabel('What do you need?').boundingBox();
    const button = await page.getByRole('button', { name: 'Settings', exact: true }).boundingBox();
    if (!input || !button) throw new Error('the header is not on screen');
    // One row: the button's top is above the input's bottom, and it sits to the input's right.
    expect(button.y).toBeLessThan(input.y + input.height);
    expect(button.x).toBeGreaterThan(input.x + input.width);
    expect(button.x + button.width).toBeLessThanOrEqual(1280);
  });

  it('opens without a PIN, at System, with the model and the doctor report', async () => {
    await openSettings();
    expect(await tab('System').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('.admin-prompt').count()).toBe(0);
    await settings()
      .locator('.doctor-rows')
      .getByText('Threads', { exact: true })
      .waitFor({ timeout: 60_000 });
    expect(await settings().locator('.model-state').textContent()).toMatch(/^Ready: /);
  }, 90_000);

  it('moves between sections with the arrow keys, Home and End (one tab in the Tab order)', async () => {
    await tab('System').focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Display');
    expect(await tab('Display').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByLabel('Colours').isVisible()).toBe(true);
    await page.keyboard.press('End');
    expect(await tab('Permissions').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowRight');
    expect(await tab('System').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Home');
    expect(await tab('System').getAttribute('aria-selected')).toBe('true');
    const inTabOrder = await page
      .getByRole('tab')
      .evaluateAll((tabs) => tabs.filter((t) => (t as HTMLElement).tabIndex === 0).length);
    expect(inTabOrder).toBe(1);
  });

  it('applies 200 % text and high contrast to the shell and to the open app, and the header stays usable', async () => {
    await tab('Display').click();
    await page.getByLabel('Text size').selectOption('2');
    await page.getByLabel('Colours').selectOption('high-contrast');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('44px');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('high-contrast');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe(
      'rgb(0, 0, 0)',
    );
    await done();

    const frame = appFrame();
    const look = () =>
      frame.evaluate(() => {
        const style = getComputedStyle(document.documentElement);
        return {
          scale: style.getPropertyValue('--figment-text-scale'),
          bg: style.getPropertyValue('--figment-bg'),
          font: style.fontSize,
        };
      });
    await expect.poll(look).toEqual({ scale: '2', bg: '#000000', font: '32px' });

    // At 200 %: nothing runs off the side, and Settings and the intent bar can still be used.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const button = await page.getByRole('button', { name: 'Settings', exact: true }).boundingBox();
    const input = await page.getByLabel('What do you need?').boundingBox();
    expect(button && button.x + button.width <= 1280 && button.y >= 0).toBe(true);
    expect(input && input.x >= 0 && input.x + input.width <= 1280).toBe(true);
    await openSettings();
    await tab('Display').click();
    await page.getByLabel('Text size').selectOption('1');
    await page.getByLabel('Colours').selectOption('light');
    await expect.poll(look).toEqual({ scale: '1', bg: '#ffffff', font: '16px' });
  });

  it('switches the shell’s own words to French and keeps the choice after a reload', async () => {
    await tab('Language').click();
    await page.getByLabel('Language of Figment’s screens').selectOption('fr');
    await page.getByRole('heading', { name: 'Réglages' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await page.getByRole('tab').allTextContents()).toEqual([
      'Système',
      'Affichage',
      'Langue',
      'Confidentialité',
      'Autorisations',
    ]);
    expect(await page.getByRole('button', { name: 'Réglages', exact: true }).count()).toBe(1);
    await page.reload();
    await page.getByRole('button', { name: 'Réglages', exact: true }).click();
    await tab('Langue').click();
    await page.getByLabel('Langue des écrans de Figment').selectOption('en');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await done();
  });

  it('passes axe in every section in every theme', async () => {
    await openSettings();
    for (const mode of allThemeModes) {
      await tab('Display').click();
      await page.getByLabel('Colours').selectOption(mode);
      for (const section of SECTIONS) {
        await tab(section).click();
        if (section === 'System')
          await settings().locator('.doctor-rows dt').first().waitFor({ timeout: 60_000 });
        if (section === 'Permissions') await page.locator('.audit-list li').first().waitFor();
        await expectNoAxeViolations(page, `Settings ${section} (${mode})`);
      }
    }
    await tab('Display').click();
    await page.getByLabel('Colours').selectOption('light');
    await done();
  }, 180_000);

  it('shows consent cards that name the app and its reason, passing axe in every theme', async () => {
    const appId = await makeCounter();
    const capabilities = ['location', 'camera', 'microphone'] as const;
    const words = { location: 'your location', camera: 'the camera', microphone: 'the microphone' };
    for (const [index, mode] of allThemeModes.entries()) {
      const capability = capabilities[index % 3] ?? 'camera';
      await openSettings();
      await tab('Display').click();
      await page.getByLabel('Colours').selectOption(mode);
      await done();
      const asked = api.call(
        'broker.request',
        { appId, capability, reason: `To test the ${mode} card` },
        30_000,
      );
      const card = page.getByRole('alertdialog');
      await card.waitFor();
      expect(await card.getByRole('heading').textContent()).toBe(
        `“Counter” wants to use ${words[capability]}`,
      );
      expect(await card.locator('.consent-reason').textContent()).toBe(
        `The app says: “To test the ${mode} card”`,
      );
      await expectNoAxeViolations(page, `consent card (${mode})`);
      await card.getByRole('button', { name: 'Always allow' }).click();
      expect((await asked).type).toBe('reply');
    }
    await openSettings();
    await tab('Display').click();
    await page.getByLabel('Colours').selectOption('light');
  });

  it('lists grants and the audit in Permissions, and Revoke takes a grant back', async () => {
    await tab('Permissions').click();
    const grants = page.locator('.grant-list .grant');
    await expect.poll(() => grants.count()).toBe(3);
    const actions = await page
      .locator('.audit-list .audit')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')));
    for (const action of ['sensor.request', 'sensor.decision', 'grant.given'])
      expect(actions).toContain(action);
    await page.getByRole('button', { name: 'Revoke the camera for Counter' }).click();
    await expect.poll(() => grants.count()).toBe(2);
    await expect
      .poll(() => page.locator('.audit-list .audit').first().getAttribute('data-action'))
      .toBe('sensor.revoked');
    const left = result<{ grants: { capability: string }[] }>(await api.call('broker.grants', {}));
    expect(left.grants.map((grant) => grant.capability).sort()).toEqual(['location', 'microphone']);
  });

  it('forgets one app after asking, and keeps it when the person says keep', async () => {
    await tab('Privacy').click();
    const rows = page.locator('.forget-list .forget-row');
    await expect.poll(() => rows.count()).toBe(2);
    const target = await rows.first().getAttribute('data-app');
    await rows.first().getByRole('button').click();
    const dialog = page.getByRole('dialog', { name: 'Forget “Counter”?' });
    await dialog.waitFor();
    await expectNoAxeViolations(page, 'confirm forgetting an app');
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    expect(await rows.count()).toBe(2);
    await rows.first().getByRole('button').click();
    await dialog.getByRole('button', { name: 'Forget' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await page.locator('.privacy-status').textContent()).toBe('“Counter” is forgotten.');
    const apps = result<{ apps: { id: string }[] }>(await api.call('apps.list', {})).apps;
    expect(apps.map((app) => app.id)).not.toContain(target);
  });

  it('exports everything to one file that import accepts', async () => {
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export everything to a file' }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(/^figment-export-\d{4}-\d{2}-\d{2}\.json$/);
    const dir = mkdtempSync(join(tmpdir(), 'figment-export-'));
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'figment-context' });
    await expect
      .poll(() => page.locator('.privacy-status').textContent())
      .toMatch(/^Saved 1 apps to figment-export-/);
    const target = ContextStore.open({ path: join(dir, 'imported.db') });
    try {
      expect(target.importFrom(file)).toEqual({ apps: 1 });
      expect(target.listApps().map((app) => app.name)).toEqual(['Counter']);
    } finally {
      target.dispose();
    }
  });

  it('forgets everything after asking, and the launcher is empty after', async () => {
    await makeCounter();
    // Open it in the shell first: forgetting must take it off the screen too.
    await done();
    // An app from the earlier tests is still on screen: go back to the launcher and open one more.
    await page.getByRole('tab', { name: 'Your apps' }).click();
    await page.locator('.app-tile').last().click();
    await page
      .getByRole('tab', { name: /Counter/ })
      .first()
      .waitFor();
    expect(await page.locator('.app-panel').count()).toBeGreaterThan(0);
    await openSettings();
    await tab('Privacy').click();
    await page.getByRole('button', { name: 'Forget everything' }).click();
    const dialog = page.getByRole('dialog', { name: 'Forget everything?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Forget everything' }).click();
    await expect
      .poll(() => page.locator('.privacy-status').textContent())
      .toBe('Everything is forgotten (2 apps).');
    expect(await page.locator('.forget-list .empty').count()).toBe(1);
    expect(result<{ apps: unknown[] }>(await api.call('apps.list', {})).apps).toEqual([]);
    expect(result<{ grants: unknown[] }>(await api.call('broker.grants', {})).grants).toEqual([]);
    // The app that was open is closed with the rest: nothing forgotten stays on screen.
    await expect.poll(() => page.locator('.app-panel').count()).toBe(0);
    await done();
  });
});
