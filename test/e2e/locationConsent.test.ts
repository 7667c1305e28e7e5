import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { FakeGeoClue } from '../support/FakeGeoClue.js';
import { PrivateBus } from '../support/PrivateBus.js';
import { type RunningDaemon, repoRoot, startDaemon } from '../support/startDaemon.js';

const FIX = { latitude: 48.8584, longitude: 2.2945, accuracy: 25 };

let bus: PrivateBus;
let geoclue: FakeGeoClue;
let daemon: RunningDaemon;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  bus = await PrivateBus.start();
  geoclue = await FakeGeoClue.start(bus.address, FIX);
  daemon = await startDaemon({
    env: {
      FIGMENT_MODEL_SCRIPT: join(repoRoot, 'test/fixtures/location-app.json'),
      FIGMENT_GEOCLUE_BUS: bus.address,
      FIGMENT_BUS: bus.address,
    },
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
  geoclue?.dispose();
  await bus?.dispose();
});

const app = () => page.frameLocator('iframe.app-frame');
const answer = () => app().locator('#answer').textContent();
const card = () => page.getByRole('alertdialog');

/** Closes the app and opens it again from the launcher. */
async function reopenApp(): Promise<void> {
  await page.getByRole('button', { name: 'Close' }).click();
  await page
    .getByRole('button', { name: /Where am I/ })
    .first()
    .click();
}

/**
 * Presses the app's button. A press that lands before the app's script is listening does
 * nothing, for a person too (CI once hung here with no card); then it is pressed again.
 */
async function askWhere(): Promise<void> {
  const button = app().getByRole('button', { name: 'Where am I?' });
  const before = await answer();
  await button.click();
  try {
    // The app writes "Asking..." (or its answer) at once when its script took the press.
    await expect.poll(answer, { timeout: 3_000 }).not.toBe(before || '');
  } catch {
    await button.click();
  }
}

describe('an app asks for the location', () => {
  it('shows a consent card, and "Don’t allow" gives the app a clear refusal', async () => {
    await page.goto(daemon.shellUrl);
    await page.getByLabel('What do you need?').fill('make an app that tells me where am i');
    await page.getByRole('button', { name: 'Make it' }).click();
    await app().getByRole('button', { name: 'Where am I?' }).waitFor({ timeout: 15_000 });

    await askWhere();
    await card().waitFor({ timeout: 10_000 });
    expect(await card().getByRole('heading').textContent()).toBe('“Where am I” wants to use your location');
    // The reason the app gave through the SDK, shown as the app's own words.
    expect(await card().locator('.consent-reason').textContent()).toBe(
      'The app says: “to show where this kiosk is”',
    );
    await card().getByRole('button', { name: 'Don’t allow' }).click();
    await expect.poll(answer).toMatch(/^Refused: FIGMENT_ERR_NOT_GRANTED The person said no/);
    expect(await card().count()).toBe(0);
    expect(geoclue.requests).toEqual([]);
  });

  it('puts a card that comes while a dialog is open above it; the dialog waits beneath, then works', async () => {
    // After a "no" the app may ask again once reopened.
    await reopenApp();
    await app().getByRole('button', { name: 'Where am I?' }).waitFor();
    await page.getByRole('button', { name: 'Versions' }).click();
    const versions = page.getByRole('dialog');
    await versions.waitFor();
    // The app asks by itself (a person cannot press its button behind the dialog).
    const frame = page.frames().find((candidate) => candidate.url().includes('/frame/'));
    if (!frame) throw new Error('the app frame is not loaded');
    await frame.evaluate(() => {
      const shown = document.getElementById('answer');
      if (shown) shown.textContent = '';
      document.getElementById('where')?.click();
    });
    await card().waitFor();
    // The card is on top: the person can answer it with the dialog still open beneath.
    await card().getByRole('button', { name: 'Don’t allow' }).click();
    await expect.poll(answer).toMatch(/^Refused: FIGMENT_ERR_NOT_GRANTED/);
    expect(await card().count()).toBe(0);
    expect(await versions.isVisible()).toBe(true);
    await versions.getByRole('button', { name: 'Done' }).click();
    expect(await versions.count()).toBe(0);
  });

  it('after "Always allow" the app gets the position from GeoClue2', async () => {
    // Reopened, the app may ask again.
    await reopenApp();
    await askWhere();
    await card().getByRole('button', { name: 'Always allow' }).click();
    await expect.poll(answer).toBe('You are at 48.8584, 2.2945 (within 25 m)');
    expect(geoclue.requests.at(-1)).toEqual({ desktopId: 'figment', accuracy: 8 });
    // The grant holds: no second card.
    await askWhere();
    await expect.poll(answer).toMatch(/^You are at/);
    expect(await card().count()).toBe(0);
  });

  it('lists the grant and the audit in Settings, Permissions; after Revoke the next call is refused', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('tab', { name: 'Permissions' }).click();
    const grants = page.locator('.grant-list .grant');
    await expect.poll(() => grants.count()).toBe(1);
    expect(await grants.first().textContent()).toMatch(/^Where am I: your location \(always, until /);
    const audit = page.locator('.audit-list .audit');
    await expect.poll(() => audit.count()).toBeGreaterThanOrEqual(6);
    const actions = await audit.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')));
    for (const action of ['sensor.request', 'sensor.decision', 'sensor.use', 'grant.given']) {
      expect(actions).toContain(action);
    }

    await page.getByRole('button', { name: 'Revoke your location for Where am I' }).click();
    await expect.poll(() => page.locator('.grant-list .empty').count()).toBe(1);
    await expect.poll(() => audit.first().getAttribute('data-action')).toMatch(/revoked/);
    await page.getByRole('button', { name: 'Done' }).click();

    await askWhere();
    await expect.poll(answer).toMatch(/^Refused: FIGMENT_ERR_NOT_GRANTED .*may not use the location/);
    expect(await card().count()).toBe(0);
  });
});
