import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type RunningDaemon, startDaemon } from '../support/startDaemon.js';

let browser: Browser;
let daemon: RunningDaemon;

beforeAll(async () => {
  browser = await launchChromium();
  daemon = await startDaemon({
    env: { FIGMENT_MODEL_BACKEND: 'llama', FIGMENT_MODEL_PATH: '/nowhere/default.gguf' },
  });
});

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

describe('the System page', () => {
  it('shows the doctor report: cores, threads, compute and the missing model', async () => {
    const page = await browser.newPage();
    await page.goto(daemon.shellUrl);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    expect(await page.getByRole('tab', { name: 'System' }).getAttribute('aria-selected')).toBe('true');
    const rows = page.locator('.doctor-rows');
    await rows.getByText('Threads', { exact: true }).waitFor({ timeout: 60_000 });
    const text = (await rows.textContent()) ?? '';
    expect(text).toMatch(/physical cores/);
    expect(text).toMatch(/Compute\s*CPU/);
    expect(text).toContain('/nowhere/default.gguf: missing');
    expect(text).toContain('Recommended');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByLabel('What do you need?').waitFor();
  });
});
