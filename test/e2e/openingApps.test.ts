/**
 * How the shell opens a stored app quickly: the launcher's list carries each
 * app's frame address, so the frame starts loading as the tile is pressed,
 * while figmentd is still answering `apps.open` (which records the open and
 * has the last word on what runs).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { delayApiReplies, isOpenedApp, isStoredValue, routeApiReplies } from '../support/routeApiReplies.js';
import { makeApp, shellApps, startShellDaemon } from '../support/shellApps.js';
import { type RunningDaemon, storedValue, storeValue } from '../support/startDaemon.js';

let browser: Browser;
let page: Page;
let daemon: RunningDaemon;
let appId: string;

beforeAll(async () => {
  browser = await launchChromium();
  daemon = await startShellDaemon();
  appId = (await makeApp(daemon, 'a water tracker')).id;
  // A saved count other than 0, so the tests can see when it has reached the app.
  await storeValue(daemon, appId, 'n', 41);
});

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

const appFrame = () => page.frameLocator('iframe.app-frame');

/** Waits until the open app shows its saved count (it shows 0 until then), then counts one more and sees it saved. */
async function countOneMore(timeout = 5_000): Promise<void> {
  const count = appFrame().locator('#out');
  const before = Number(await storedValue(daemon, appId, 'n'));
  await expect.poll(() => count.textContent(), { timeout }).toBe(String(before));
  await appFrame().getByRole('button', { name: 'Count' }).click();
  await expect.poll(() => count.textContent(), { timeout }).toBe(String(before + 1));
  await expect.poll(() => storedValue(daemon, appId, 'n'), { timeout }).toBe(before + 1);
}

describe('opening a stored app', () => {
  it('starts the frame as the tile is pressed, before figmentd has answered', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // figmentd's answer to apps.open arrives late.
    const opens = await delayApiReplies(page, isOpenedApp, 4_000);
    await page.goto(daemon.shellUrl);
    await page.getByRole('button', { name: shellApps.water }).click();
    // The app is on screen, and answers, while its apps.open is still held back.
    await appFrame().locator('#out').waitFor({ timeout: 3_000 });
    // On a busy machine figmentd may not even have answered yet; either way the shell has not heard.
    expect(opens.delivered).toBe(0);
    await expect.poll(() => opens.held).toBe(1);
    const frame = page.locator('iframe.app-frame');
    expect(await frame.getAttribute('sandbox')).toBe('allow-scripts');
    expect(await frame.getAttribute('allow')).toContain("camera 'none'");
    await countOneMore(3_000);
    await page.close();
  });

  it('follows figmentd when the address from the list no longer works', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Every frame address in the lists goes stale, as after figmentd restarted with a new key.
    let spoiled = 0;
    await routeApiReplies(page, (reply, send) => {
      const frames = reply.result?.frames as Record<string, string> | undefined;
      if (frames) {
        for (const version of Object.keys(frames)) frames[version] = `/frame/${version}?cap=stale`;
        spoiled++;
      }
      // Saved values arrive late, as on a busy machine: the app shows 0 until then.
      if (isStoredValue(reply)) setTimeout(() => send(JSON.stringify(reply)), 1_000);
      else send(JSON.stringify(reply));
    });
    await page.goto(daemon.shellUrl);
    await page.getByRole('button', { name: shellApps.water }).click();
    await countOneMore();
    expect(spoiled).toBeGreaterThan(0);
    expect(await page.locator('iframe.app-frame').getAttribute('src')).not.toContain('cap=stale');
    await page.close();
  });
});
