/**
 * How the shell opens a stored app quickly: the launcher's list carries each
 * app's frame address, so the frame starts loading as the tile is pressed,
 * while figmentd is still answering `apps.open` (which records the open and
 * has the last word on what runs).
 */
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { makeApp, shellApps, startShellDaemon } from '../support/shellApps.js';
import type { RunningDaemon } from '../support/startDaemon.js';

let browser: Browser;
let page: Page;
let daemon: RunningDaemon;

beforeAll(async () => {
  browser = await launchChromium();
  daemon = await startShellDaemon();
  await makeApp(daemon, 'a water tracker');
});

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

const appFrame = () => page.frameLocator('iframe.app-frame');

/** Opens the water tracker from the launcher and checks it runs and saves. */
async function openAndUse(): Promise<void> {
  await page.getByRole('button', { name: shellApps.water }).click();
  const count = appFrame().locator('#out');
  await count.waitFor();
  const before = Number(await count.textContent());
  await appFrame().getByRole('button', { name: 'Count' }).click();
  await expect.poll(() => count.textContent()).toBe(String(before + 1));
}

/** Passes the shell's API traffic through, letting `change` rewrite or hold back figmentd's replies. */
async function routeReplies(
  change: (reply: { id?: string; result?: Record<string, unknown> }, send: (text: string) => void) => void,
): Promise<void> {
  await page.routeWebSocket(/\/api/, (socket: WebSocketRoute) => {
    const server = socket.connectToServer();
    socket.onMessage((message) => server.send(message));
    server.onMessage((message) => change(JSON.parse(String(message)), (text) => socket.send(text)));
  });
}

describe('opening a stored app', () => {
  it('starts the frame as the tile is pressed, before figmentd has answered', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let held = 0;
    await routeReplies((reply, send) => {
      const text = JSON.stringify(reply);
      if (reply.result && 'frameUrl' in reply.result) {
        // figmentd's answer to apps.open arrives late.
        held++;
        setTimeout(() => send(text), 4_000);
      } else send(text);
    });
    await page.goto(daemon.shellUrl);
    await page.getByRole('button', { name: shellApps.water }).click();
    // The app is on screen, and answers, while its apps.open is still held back.
    await appFrame().locator('#out').waitFor({ timeout: 3_000 });
    expect(held).toBe(1);
    const frame = page.locator('iframe.app-frame');
    expect(await frame.getAttribute('sandbox')).toBe('allow-scripts');
    expect(await frame.getAttribute('allow')).toContain("camera 'none'");
    const count = appFrame().locator('#out');
    const before = Number(await count.textContent());
    await appFrame().getByRole('button', { name: 'Count' }).click();
    await expect.poll(() => count.textContent(), { timeout: 3_000 }).toBe(String(before + 1));
    await page.close();
  });

  it('follows figmentd when the address from the list no longer works', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Every frame address in the lists goes stale, as after figmentd restarted with a new key.
    let spoiled = 0;
    await routeReplies((reply, send) => {
      const frames = reply.result?.frames as Record<string, string> | undefined;
      if (frames) {
        for (const version of Object.keys(frames)) frames[version] = `/frame/${version}?cap=stale`;
        spoiled++;
      }
      send(JSON.stringify(reply));
    });
    await page.goto(daemon.shellUrl);
    await openAndUse();
    expect(spoiled).toBeGreaterThan(0);
    expect(await page.locator('iframe.app-frame').getAttribute('src')).not.toContain('cap=stale');
    await page.close();
  });
});
