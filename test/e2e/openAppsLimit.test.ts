/**
 * The shell keeps at most six apps open: opening a seventh closes the one
 * seen least recently, never the one on screen.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { bundleJson } from '../support/scriptedApps.js';
import { makeApp } from '../support/shellApps.js';
import { type RunningDaemon, startDaemon } from '../support/startDaemon.js';

const names = ['One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven'].map((n) => `App ${n}`);

let browser: Browser;
let page: Page;
let daemon: RunningDaemon;

beforeAll(async () => {
  const script = join(mkdtempSync(join(tmpdir(), 'figment-limit-script-')), 'responses.json');
  const responses = [
    { match: '^Before writing', output: { questions: [] } },
    ...names.map((name) => ({ match: `^Request: ${name.toLowerCase()}`, output: bundleJson({ name }) })),
  ];
  writeFileSync(script, JSON.stringify({ responses }));
  daemon = await startDaemon({ env: { FIGMENT_MODEL_SCRIPT: script } });
  for (const name of names) await makeApp(daemon, name.toLowerCase());
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

/** The open apps' names, in the switcher's order (after "Your apps"). */
const openNames = async () =>
  (await page.locator('[role="tab"] > span:last-child').allTextContents()).slice(1);

/** The app's launcher tile (its name starts the tile's accessible name; "Pin …" buttons do not). */
const tile = (name: string) => page.getByRole('button', { name: new RegExp(`^${name}\\b`) });

async function openFromLauncher(name: string): Promise<void> {
  await page.getByRole('tab', { name: 'Your apps' }).click();
  await tile(name).click();
  await page.frameLocator(`iframe.app-frame[title="${name}"]`).getByRole('heading', { name }).waitFor();
}

describe('the open apps', () => {
  it('are at most six; a seventh closes the one seen least recently', async () => {
    await page.goto(daemon.shellUrl);
    await tile(names[0] ?? '').click();
    await page.frameLocator('iframe.app-frame').getByRole('heading', { name: names[0] }).waitFor();
    for (const name of names.slice(1, 6)) await openFromLauncher(name);
    expect(await openNames()).toEqual(names.slice(0, 6));

    // Looking at the first app again makes the second the one seen least recently.
    await page.getByRole('tab', { name: names[0] }).click();
    await openFromLauncher(names[6] ?? '');
    expect(await openNames()).toEqual([names[0], ...names.slice(2, 7)]);
    expect(await page.locator('iframe.app-frame').count()).toBe(6);
    expect(await page.locator(`iframe.app-frame[title="${names[1]}"]`).count()).toBe(0);
    expect(await page.getByRole('tab', { selected: true }).textContent()).toContain(names[6]);
  }, 90_000);

  it("switch on the Electron host's Alt+n from the main process, with focus inside an app", async () => {
    // What the preload exposes, as a stand-in: the main process's half is unit-tested in window.test.ts.
    await page.addInitScript(() => {
      Object.assign(window, {
        figmentHost: {
          kind: 'electron',
          info: async () => ({ kind: 'electron', version: 'test', kiosk: false }),
          onSwitchApp(listener: (slot: number) => void) {
            Object.assign(window, { testSwitchApp: listener });
          },
        },
      });
    });
    await page.reload();
    await expect.poll(openNames).toHaveLength(6);
    const shown = page.frameLocator(`iframe.app-frame[title="${names[6]}"]`);
    await shown.getByRole('button', { name: 'Count' }).focus();
    const switchApp = (slot: number) =>
      page.evaluate((n) => (window as unknown as { testSwitchApp(n: number): void }).testSwitchApp(n), slot);
    await switchApp(2);
    expect(await page.getByRole('tab', { selected: true }).textContent()).toContain((await openNames())[1]);
    await switchApp(0);
    await page.getByRole('heading', { name: 'Your apps' }).waitFor();
  });
});
