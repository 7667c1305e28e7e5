import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type RunningDaemon, repoRoot, startDaemon } from '../support/startDaemon.js';

let browser: Browser;
let daemon: RunningDaemon;

beforeAll(async () => {
  browser = await launchChromium();
  daemon = await startDaemon({
    env: { FIGMENT_MODEL_SCRIPT: join(repoRoot, 'test/fixtures/repair-apps.json') },
  });
});

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

describe('repairing an app the supervisor stopped', () => {
  it('stops an app stuck in a loop, and "Repair it" opens the version figmentd repaired', async () => {
    const page = await browser.newPage();
    await page.goto(daemon.shellUrl);
    await page.getByLabel('What do you need?').fill('make a busy clock');
    await page.getByRole('button', { name: 'Make it' }).click();

    const repair = page.getByRole('button', { name: 'Repair it' });
    await repair.waitFor({ timeout: 30_000 });
    expect(await page.locator('body').textContent()).toMatch(/stopped responding/);
    await repair.click();

    const state = page.frameLocator('iframe.app-frame').locator('#state');
    await expect.poll(() => state.textContent().catch(() => null), { timeout: 20_000 }).toBe('Fixed clock');
  }, 60_000);
});
