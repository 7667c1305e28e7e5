import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allThemeModes, expectNoAxeViolations, startInTheme } from '../support/axe.js';
import { delayApiReplies, isAppList } from '../support/routeApiReplies.js';
import { expectTouchTargets, makeApp, shellApps, startShellPage } from '../support/shellApps.js';
import { type RunningDaemon, repoRoot } from '../support/startDaemon.js';

let browser: Browser;
let page: Page;
let daemon: RunningDaemon;

beforeAll(async () => {
  ({ browser, page, daemon } = await startShellPage());
});

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

const launcher = () => page.locator('#launcher');
/** The names in one of the launcher's groups ("Pinned", "Recent", "Found…"), in order. */
const namesIn = (group: string) =>
  page
    .locator('.app-group', { has: page.getByRole('heading', { name: group }) })
    .locator('.app-name')
    .allTextContents();
const item = (name: string) =>
  launcher().locator('.app-item', { has: page.getByText(name, { exact: true }) });

async function goHome(): Promise<void> {
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('heading', { name: 'Your apps' }).waitFor();
}

describe('the launcher', () => {
  it('with no apps shows ideas to ask for; choosing one puts it in the intent bar', async () => {
    for (const mode of allThemeModes) {
      await startInTheme(page, mode);
      await page.goto(daemon.shellUrl);
      await page.getByText('No apps yet.').waitFor();
      await expectNoAxeViolations(page, `empty launcher (${mode})`);
    }
    await expectTouchTargets(page, '#launcher');
    await page.getByRole('button', { name: 'a timer for brushing teeth' }).click();
    expect(await page.getByLabel('What do you need?').inputValue()).toBe('a timer for brushing teeth');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('intent-input');
  });

  it('lists recent apps most recently opened first, each with its name and its icon (the model’s, or made from the name)', async () => {
    await makeApp(daemon, 'a water tracker');
    await makeApp(daemon, 'a notes pad');
    await makeApp(daemon, 'a full screen cover');
    await page.reload();
    await page.getByRole('heading', { name: 'Recent' }).waitFor();
    // Never opened: newest first.
    expect(await namesIn('Recent')).toEqual([shellApps.cover, shellApps.notes, shellApps.water]);
    expect(await item(shellApps.water).locator('.app-icon').textContent()).toBe('WT');
    expect(await item(shellApps.notes).locator('.app-icon').textContent()).toBe('NP');
    // The model picked a flag from the catalogue when it made this one.
    expect(await item(shellApps.cover).locator('.app-icon').textContent()).toBe('⚑\uFE0E');

    await page.getByRole('button', { name: shellApps.water }).click();
    await goHome();
    await page.getByRole('button', { name: shellApps.notes }).click();
    await goHome();
    expect(await namesIn('Recent')).toEqual([shellApps.notes, shellApps.water, shellApps.cover]);
  });

  it('shows the app just opened first as soon as it is closed, so no tile moves when the list comes back', async () => {
    expect(await namesIn('Recent')).toEqual([shellApps.notes, shellApps.water, shellApps.cover]);
    // figmentd's lists come back late, as on a busy machine.
    const lists = await delayApiReplies(page, isAppList, 1_500);
    await page.reload();
    await page.getByRole('heading', { name: 'Recent' }).waitFor();
    await page.getByRole('button', { name: shellApps.cover }).click();
    await page.frameLocator('iframe.app-frame').locator('body').waitFor();
    const listsBefore = lists.held;
    await goHome();
    // At once, while figmentd's new list is still held back:
    expect(await namesIn('Recent')).toEqual([shellApps.cover, shellApps.notes, shellApps.water]);
    await expect.poll(() => lists.held).toBeGreaterThan(listsBefore);
    await expect.poll(() => launcher().locator('[aria-busy]').count(), { timeout: 5_000 }).toBe(0);
    // And the list, when it comes, agrees.
    expect(await namesIn('Recent')).toEqual([shellApps.cover, shellApps.notes, shellApps.water]);
    await page.unrouteAll();
  });

  it('keeps an app just opened first when a list figmentd gave before that open arrives late', async () => {
    const lists = await delayApiReplies(page, isAppList, 1_500);
    await page.reload();
    await page.getByRole('heading', { name: 'Recent' }).waitFor();
    await page.getByRole('button', { name: shellApps.water }).click();
    await page.frameLocator('iframe.app-frame').locator('body').waitFor();
    const before = lists.delivered;
    // Home asks for a list (held back); the notes pad is opened before it comes.
    await goHome();
    await page.getByRole('button', { name: shellApps.notes }).click();
    await page.frameLocator('iframe.app-frame').getByLabel('Draft').waitFor();
    // The list asked for before that open arrives while the notes pad is on screen.
    await expect.poll(() => lists.delivered, { timeout: 5_000 }).toBeGreaterThan(before);
    await goHome();
    expect(await namesIn('Recent')).toEqual([shellApps.notes, shellApps.water, shellApps.cover]);
    await expect.poll(() => launcher().locator('[aria-busy]').count(), { timeout: 5_000 }).toBe(0);
    expect(await namesIn('Recent')).toEqual([shellApps.notes, shellApps.water, shellApps.cover]);
    await page.unrouteAll();
  });

  it('pins and unpins apps, and figmentd keeps the pins across a reload', async () => {
    await item(shellApps.cover).getByRole('button', { name: 'Pin' }).click();
    await page.getByRole('heading', { name: 'Pinned' }).waitFor();
    expect(await namesIn('Pinned')).toEqual([shellApps.cover]);
    expect(await namesIn('Recent')).toEqual([shellApps.notes, shellApps.water]);
    // Focus stays with the app just pinned, on its (now "Unpin") button.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Unpin');

    await item(shellApps.water).getByRole('button', { name: 'Pin' }).click();
    await page.reload();
    await page.getByRole('heading', { name: 'Pinned' }).waitFor();
    expect(await namesIn('Pinned')).toEqual([shellApps.cover, shellApps.water]);

    await item(shellApps.cover).getByRole('button', { name: 'Unpin' }).click();
    await expect.poll(() => namesIn('Pinned')).toEqual([shellApps.water]);
    // Back among the recent apps by when it was last opened (before the notes pad, in the tests above).
    expect(await namesIn('Recent')).toEqual([shellApps.notes, shellApps.cover]);
  });

  it('lets the person choose an icon, which is kept', async () => {
    await item(shellApps.notes).getByRole('button', { name: 'Icon' }).click();
    const dialog = page.getByRole('dialog', { name: `Choose an icon for “${shellApps.notes}”` });
    await dialog.waitFor();
    await expectNoAxeViolations(page, 'icon picker');
    await expectTouchTargets(page, 'dialog[open]');
    await dialog.getByRole('radio', { name: 'Pencil' }).check();
    await dialog.getByRole('button', { name: 'Use this icon' }).click();
    await expect.poll(() => item(shellApps.notes).locator('.app-icon').textContent()).toBe('✎\uFE0E');
    await page.reload();
    await page.getByRole('heading', { name: 'Recent' }).waitFor();
    expect(await item(shellApps.notes).locator('.app-icon').textContent()).toBe('✎\uFE0E');
  });

  it('searches apps through figmentd and says why each was found', async () => {
    await page.getByRole('searchbox', { name: 'Find an app' }).fill('water');
    const found = page.locator('.app-group', {
      has: page.getByRole('heading', { name: 'Found for “water”' }),
    });
    await found.waitFor();
    expect(await found.locator('.app-name').allTextContents()).toEqual([shellApps.water]);
    expect(await found.locator('.app-reason').textContent()).toMatch(
      /^Found because .*“water” is in its name/,
    );
    expect(await page.getByRole('status').filter({ hasText: 'app matches' }).textContent()).toBe(
      '1 app matches.',
    );

    await page.getByRole('searchbox', { name: 'Find an app' }).fill('spaceship');
    await page.getByText('None of your apps matches “spaceship”.').waitFor();
    await page.getByRole('button', { name: 'Ask Figment for “spaceship”' }).click();
    expect(await page.getByLabel('What do you need?').inputValue()).toBe('spaceship');

    await page.getByRole('searchbox', { name: 'Find an app' }).fill('');
    await page.getByRole('heading', { name: 'Pinned' }).waitFor();
  });

  it('passes axe in every theme with apps listed, and keeps touch targets at 44 px', async () => {
    for (const mode of allThemeModes) {
      await startInTheme(page, mode);
      await page.reload();
      await page.getByRole('heading', { name: 'Pinned' }).waitFor();
      await expectNoAxeViolations(page, `launcher with apps (${mode})`);
      mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
      await page.screenshot({ path: join(repoRoot, `test-results/shell-launcher-${mode}.png`) });
    }
    await expectTouchTargets(page, '#launcher');
  });
});
