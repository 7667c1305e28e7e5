import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type RunningDaemon, startDaemon } from '../support/startDaemon.js';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
});

describe('the shell is never blank', () => {
  it('says clearly that no model is configured, and how to get one', async () => {
    const daemon = await startDaemon({
      env: { FIGMENT_MODEL_BACKEND: 'llama', FIGMENT_MODEL_PATH: '/nowhere/default.gguf' },
    });
    try {
      await page.goto(daemon.shellUrl);
      const notice = page.getByRole('heading', { name: /needs a language model/ });
      await notice.waitFor();
      const text = await page.locator('body').textContent();
      expect(text).toContain('/nowhere/default.gguf');
      expect(text).toContain('FIGMENT_MODEL_PATH');
      expect(page.url()).not.toContain('token');
    } finally {
      await daemon.stop();
    }
  });

  it('shows a reconnecting screen while the daemon is down, and one that asks for the new link after a restart', async () => {
    const daemon: RunningDaemon = await startDaemon({ env: { FIGMENT_PORT: '0' } });
    await page.goto(daemon.shellUrl);
    await page.getByLabel('What do you need?').waitFor();
    await daemon.stop();
    await page.getByRole('heading', { name: 'Reconnecting to Figment…' }).waitFor();

    // Same port, new per-start token: the old page's token is refused with close code 4401.
    const port = new URL(daemon.url).port;
    const restarted = await startDaemon({ stateDir: daemon.stateDir, env: { FIGMENT_PORT: port } });
    try {
      await page.getByRole('button', { name: 'Try now' }).click();
      await page.getByRole('heading', { name: 'Figment did not accept this screen' }).waitFor();
      await page.goto(restarted.shellUrl);
      // Only the fragment changed: the page takes the new token without reloading and connects.
      await page
        .getByRole('heading', { name: 'Figment did not accept this screen' })
        .waitFor({ state: 'hidden' });
      await page.getByRole('heading', { name: 'Your apps' }).waitFor();
    } finally {
      await restarted.stop();
    }
  });
});
