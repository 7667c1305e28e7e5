/**
 * The shell's own words in French: chosen in Settings, they reach the
 * launcher, the intent bar, an open app's bar and the switcher at once,
 * and going back to English takes them back at once too.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../support/axe.js';
import { makeApp, shellApps, startShellPage } from '../support/shellApps.js';
import type { RunningDaemon } from '../support/startDaemon.js';

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

/** Chooses the shell's language in Settings, as a person would, and comes back. */
async function chooseLanguage(code: 'en' | 'fr'): Promise<void> {
  const settings = page.getByRole('region', { name: /^(Settings|Réglages)$/ });
  await page.getByRole('button', { name: /^(Settings|Réglages)$/ }).click();
  await settings.getByRole('tab', { name: /^(Language|Langue)$/ }).click();
  await settings
    .getByLabel(/^(Language of Figment’s screens|Langue des écrans de Figment)$/)
    .selectOption(code);
  await settings.getByRole('button', { name: code === 'fr' ? 'Terminé' : 'Done' }).click();
  await settings.waitFor({ state: 'hidden' });
}

const appBar = () => page.locator('.app-bar');
const tabNames = () => page.locator('[role="tab"] > span:last-child').allTextContents();

describe('the shell in French', () => {
  it('greets with French ideas and answers in French in the intent bar', async () => {
    await page.goto(daemon.shellUrl);
    await page.getByRole('heading', { name: 'Your apps' }).waitFor();
    await chooseLanguage('fr');
    await page.getByRole('heading', { name: 'Vos apps' }).waitFor();
    const ideas = page.getByRole('list', { name: 'Idées à demander' }).getByRole('button');
    expect(await ideas.allTextContents()).toContain('un minuteur pour se brosser les dents');
    expect(await page.getByLabel('De quoi avez-vous besoin ?').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Aller à vos apps' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Créer', exact: true }).click();
    await expect
      .poll(() => page.locator('#intent-status').textContent())
      .toContain('Écrivez d’abord ce qu’il vous faut');
    await expectNoAxeViolations(page, 'the empty launcher, in French');
  });

  it('names an open app’s controls and the switcher in French, and follows a change back to English at once', async () => {
    await makeApp(daemon, 'a water tracker');
    await page.reload();
    await page.getByRole('heading', { name: 'Récentes' }).waitFor();
    const item = page.locator('.app-item');
    expect(await item.locator('.app-item-actions button').allTextContents()).toEqual(['Épingler', 'Icône']);

    await page.getByRole('searchbox', { name: 'Trouver une app' }).fill('zzzz');
    await page.getByText('Aucune de vos apps ne correspond à « zzzz ».').waitFor();
    expect(await page.getByRole('button', { name: 'Demander « zzzz » à Figment' }).count()).toBe(1);
    // Why an app was found, in French too (figmentd gives the parts, the shell the words).
    await page.getByRole('searchbox', { name: 'Trouver une app' }).fill('water');
    await expect
      .poll(() => page.locator('.app-reason').first().textContent())
      .toBe('Trouvée parce que « water » figure dans son nom.');
    await page.getByRole('searchbox', { name: 'Trouver une app' }).fill('');
    await page.getByRole('heading', { name: 'Récentes' }).waitFor();

    await page.getByRole('button', { name: shellApps.water }).click();
    await page.frameLocator('iframe.app-frame').locator('#out').waitFor();
    expect(await appBar().getByRole('button').allTextContents()).toEqual([
      'Modifier',
      'Réparer',
      'Versions',
      'Fermer',
    ]);
    expect(await appBar().getByRole('list', { name: 'Ce qu’elle peut utiliser' }).textContent()).toBe(
      'Garde ses données',
    );
    expect(await tabNames()).toEqual(['Vos apps', shellApps.water]);
    expect(await page.getByRole('navigation', { name: 'Passer d’une app ouverte à l’autre' }).count()).toBe(
      1,
    );
    await expectNoAxeViolations(page, 'a running app, in French');

    // The app stays open while the language changes; its bar and the switcher follow.
    await chooseLanguage('en');
    expect(await appBar().getByRole('button').allTextContents()).toEqual([
      'Change this',
      'Fix this',
      'Versions',
      'Close',
    ]);
    expect(await tabNames()).toEqual(['Your apps', shellApps.water]);
    await appBar().getByRole('button', { name: 'Close' }).click();
    await page.getByRole('heading', { name: 'Recent' }).waitFor();
    expect(await item.locator('.app-item-actions button').allTextContents()).toEqual(['Pin', 'Icon']);
  });
});
