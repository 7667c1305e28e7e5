import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allThemeModes, expectNoAxeViolations, startInTheme } from '../support/axe.js';
import { expectTouchTargets, makeApp, shellApps, startShellPage } from '../support/shellApps.js';
import { type RunningDaemon, repoRoot, storedValue } from '../support/startDaemon.js';

let browser: Browser;
let page: Page;
let daemon: RunningDaemon;

beforeAll(async () => {
  ({ browser, page, daemon } = await startShellPage());
  for (const intent of ['a water tracker', 'a notes pad', 'a full screen cover'])
    await makeApp(daemon, intent);
});

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

/** The frame of an open app, found by its title (each open app has its own). */
const frameOf = (name: string) => page.frameLocator(`iframe.app-frame[title="${name}"]`);
const tab = (name: string) => page.getByRole('tab', { name });
const tabNames = (selector = '[role="tab"]') =>
  page.locator(`${selector} > span:last-child`).allTextContents();
const selectedTab = async () => (await tabNames('[role="tab"][aria-selected="true"]')).join();
const panelOf = (name: string) => page.getByRole('tabpanel', { name });

describe('running apps', () => {
  it('keeps two apps open at once, switched by keyboard, each with its own state', async () => {
    await page.goto(daemon.shellUrl);
    await page.getByRole('button', { name: shellApps.notes }).click();
    await frameOf(shellApps.notes).getByLabel('Draft').fill('buy bread');
    // Back to the launcher without closing, then open a second app.
    await tab('Your apps').click();
    await page.getByRole('heading', { name: 'Your apps' }).waitFor();
    await page.getByRole('button', { name: shellApps.water }).click();
    const count = frameOf(shellApps.water).locator('#out');
    await expect.poll(() => count.textContent()).toBe('0');
    await frameOf(shellApps.water).getByRole('button', { name: 'Count' }).click();
    await frameOf(shellApps.water).getByRole('button', { name: 'Count' }).click();
    await expect.poll(() => count.textContent()).toBe('2');
    expect(await page.locator('iframe.app-frame').count()).toBe(2);

    // Arrow keys in the tab list: the notes pad again, its unsaved draft still there.
    expect(await selectedTab()).toBe(shellApps.water);
    await tab(shellApps.water).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await selectedTab()).toBe(shellApps.notes);
    expect(await panelOf(shellApps.notes).isVisible()).toBe(true);
    expect(await panelOf(shellApps.water).isVisible()).toBe(false);
    expect(await frameOf(shellApps.notes).getByLabel('Draft').inputValue()).toBe('buy bread');
    // The focused tab shows it: a solid ring at least 3 px wide.
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return {
        role: document.activeElement?.getAttribute('role'),
        style: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
      };
    });
    expect(ring.role).toBe('tab');
    expect(ring.style).toBe('solid');
    expect(ring.width).toBeGreaterThanOrEqual(3);
    // Alt+2: the second open app, as it was.
    await page.keyboard.press('Alt+2');
    expect(await selectedTab()).toBe(shellApps.water);
    expect(await count.textContent()).toBe('2');
    // Alt+0: the launcher, with both apps still running.
    await page.keyboard.press('Alt+0');
    await page.getByRole('heading', { name: 'Your apps' }).waitFor();
    expect(await selectedTab()).toBe('Your apps');
    expect(await page.locator('iframe.app-frame').count()).toBe(2);
    await page.keyboard.press('Alt+1');
    expect(await selectedTab()).toBe(shellApps.notes);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(shellApps.notes);
  });

  it('frames each app in chrome with its name and capabilities, which the app cannot cover', async () => {
    await tab('Your apps').click();
    await page.getByRole('button', { name: shellApps.cover }).click();
    const panel = panelOf(shellApps.cover);
    await frameOf(shellApps.cover).locator('#cover').waitFor();
    expect(await panel.getByRole('heading', { level: 2 }).textContent()).toBe(shellApps.cover);
    expect(
      await panel.getByRole('list', { name: 'What it may use' }).getByRole('listitem').allTextContents(),
    ).toEqual(['Keeps its data', 'Location: asks first']);

    // The app's fixed, full-screen, topmost element stays inside its frame's box.
    const frame = await page.locator(`iframe[title="${shellApps.cover}"]`).boundingBox();
    const coverBox = await frameOf(shellApps.cover)
      .locator('#cover')
      .evaluate((node) => {
        const box = node.getBoundingClientRect();
        return { width: box.width, height: box.height, x: box.x, y: box.y };
      });
    expect(frame).not.toBeNull();
    // The frame's viewport is whole pixels; its box in the shell may be fractional.
    expect(coverBox.x).toBe(0);
    expect(coverBox.y).toBe(0);
    expect(Math.abs(coverBox.width - (frame?.width ?? 0))).toBeLessThan(1);
    expect(Math.abs(coverBox.height - (frame?.height ?? 0))).toBeLessThan(1);
    const bar = await panel.locator('.app-bar').boundingBox();
    expect((bar?.y ?? 0) + (bar?.height ?? 0)).toBeLessThanOrEqual(frame?.y ?? 0);
    // What is on top at each control of the chrome is the shell's own control.
    for (const name of ['Change this', 'Fix this', 'Versions', 'Close']) {
      const hit = await panel.getByRole('button', { name }).evaluate((button) => {
        const box = button.getBoundingClientRect();
        return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === button;
      });
      expect(hit, `${name} is on top`).toBe(true);
    }
    // While the app asks for a sensor, the chrome says so, in words, until the person has answered.
    const handle = await page.locator(`iframe[title="${shellApps.cover}"]`).elementHandle();
    const cover = await handle?.contentFrame();
    if (!cover) throw new Error('no frame for the cover app');
    await cover.evaluate(() => {
      const sdk = (window as unknown as { figment: { sensors: { location(): Promise<unknown> } } }).figment;
      sdk.sensors.location().catch(() => undefined);
    });
    const inUse = panel.locator('.app-in-use[role="status"]');
    await expect.poll(() => inUse.textContent()).toBe('Finding your location');
    expect(await panel.locator('.app-use[data-sensor="location"]').getAttribute('data-active')).toBe('');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Don’t allow' }).click();
    await expect.poll(() => inUse.textContent()).toBe('');
    expect(await inUse.isVisible()).toBe(false);

    // "Fix this" on an app that reported nothing asks the person what is wrong.
    await panel.getByRole('button', { name: 'Fix this' }).click();
    expect(await page.getByLabel('What do you need?').inputValue()).toBe('Fix it: ');
    await page.getByLabel('What do you need?').fill('');

    await expectTouchTargets(page, '.app-host');
    await expectTouchTargets(page, '.switcher');

    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-results/shell-running-apps.png') });
    await panel.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('heading', { name: 'Your apps' }).waitFor();
    expect(await page.locator('iframe.app-frame').count()).toBe(2);
  });

  it('"Change this" asks for a change to the open app; its versions list it, and going back keeps its data', async () => {
    await tab(shellApps.water).click();
    const panel = panelOf(shellApps.water);
    await panel.getByRole('button', { name: 'Change this' }).click();
    const field = page.getByLabel('What do you need?');
    expect(await field.inputValue()).toBe('Change it: ');
    await field.pressSequentially('say glasses');
    await page.getByRole('button', { name: 'Make it' }).click();
    const heading = frameOf(shellApps.water).getByRole('heading', { level: 1 });
    await expect.poll(() => heading.textContent(), { timeout: 20_000 }).toBe('Glasses of water');
    const count = frameOf(shellApps.water).locator('#out');
    await expect.poll(() => count.textContent()).toBe('2');

    await panel.getByRole('button', { name: 'Versions' }).click();
    const dialog = page.getByRole('dialog', { name: `Versions of “${shellApps.water}”` });
    const versions = dialog.getByRole('listitem');
    await expect.poll(() => versions.count()).toBe(2);
    expect(await versions.nth(0).textContent()).toMatch(/running now.*“Change it: say glasses”/);
    expect(await versions.nth(1).textContent()).toMatch(/“a water tracker”/);
    expect(await versions.nth(1).locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    for (const mode of allThemeModes) {
      await page.evaluate((chosen) => document.documentElement.setAttribute('data-theme', chosen), mode);
      await expectNoAxeViolations(page, `version history (${mode})`);
    }
    await expectTouchTargets(page, 'dialog[open]');

    await versions.nth(1).getByRole('button', { name: 'Go back to this version' }).click();
    await expect.poll(() => heading.textContent(), { timeout: 10_000 }).toBe(shellApps.water);
    await expect.poll(() => count.textContent()).toBe('2');
    const appId = (await panel.getAttribute('id'))?.replace('app-panel-', '') ?? '';
    expect(await storedValue(daemon, appId, 'n')).toBe(2);
    expect(await page.locator('#intent-status').textContent()).toMatch(
      /runs its version from .* again\. What it saved is unchanged\./,
    );
    // The later version stays in the history.
    await panel.getByRole('button', { name: 'Versions' }).click();
    await expect.poll(() => versions.count()).toBe(2);
    expect(await versions.nth(1).textContent()).toMatch(/running now/);
    await dialog.getByRole('button', { name: 'Done' }).click();
  }, 90_000);

  it('opens the same apps again after the page reloads, with the same one on screen', async () => {
    await tab(shellApps.notes).click();
    expect(await page.evaluate(() => sessionStorage.getItem('figment.openApps'))).toMatch(/"active":"app_/);
    await page.reload();
    await expect.poll(() => tabNames()).toEqual(['Your apps', shellApps.notes, shellApps.water]);
    expect(await selectedTab()).toBe(shellApps.notes);
    await frameOf(shellApps.notes).getByLabel('Draft').waitFor();
    await expect.poll(() => frameOf(shellApps.water).locator('#out').textContent()).toBe('2');
    expect(await page.locator('iframe.app-frame').count()).toBe(2);
  });

  it('passes axe on the running app in every theme', async () => {
    for (const mode of allThemeModes) {
      await startInTheme(page, mode);
      await page.reload();
      await frameOf(shellApps.notes).getByLabel('Draft').waitFor();
      expect(await selectedTab()).toBe(shellApps.notes);
      await expectNoAxeViolations(page, `running app (${mode})`);
    }
  });

  it('starts at the launcher, with nothing open, when the shell is visited afresh rather than reloaded', async () => {
    await page.goto('about:blank');
    await page.goto(daemon.shellUrl);
    await page.getByRole('heading', { name: 'Recent' }).waitFor();
    expect(await page.locator('iframe.app-frame').count()).toBe(0);
    expect(await page.locator('.switcher').isVisible()).toBe(false);
  });
});
