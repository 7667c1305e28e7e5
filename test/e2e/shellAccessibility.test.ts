import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allThemeModes, expectNoAxeViolations, startInTheme } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
import { type RunningDaemon, scriptedApps, startDaemon } from '../support/startDaemon.js';

let browser: Browser;
const daemons: RunningDaemon[] = [];

/** The usual scripted apps, plus a quiz request that is answered with a clarifying question. */
function writeScript(): string {
  const base = JSON.parse(readFileSync(scriptedApps, 'utf8')) as { responses: unknown[] };
  const quizQuestion = {
    match: '^Before writing[\\s\\S]*quiz',
    output: {
      questions: [
        { question: 'How many questions should the quiz have?', options: ['5', '10'], default: '5' },
      ],
    },
  };
  const path = join(mkdtempSync(join(tmpdir(), 'figment-a11y-')), 'script.json');
  writeFileSync(path, JSON.stringify({ responses: [quizQuestion, ...base.responses] }));
  return path;
}

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const daemon of daemons) await daemon.stop();
});

/** Every visible control smaller than 44 × 44 px (a radio or checkbox counts with its label). */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const controls = document.querySelectorAll<HTMLElement>(
      'a[href], button, input, select, textarea, summary, [role="button"], [tabindex]:not([tabindex="-1"])',
    );
    const small: string[] = [];
    for (const control of controls) {
      if (control.closest('[inert], [hidden]') || control.getClientRects().length === 0) continue;
      if (getComputedStyle(control).visibility === 'hidden') continue;
      const isToggle = control instanceof HTMLInputElement && /^(radio|checkbox)$/.test(control.type);
      const target = (isToggle && control.closest('label')) || control;
      const box = target.getBoundingClientRect();
      if (box.width < 44 || box.height < 44) {
        small.push(
          `${control.tagName.toLowerCase()} "${control.textContent?.trim() || control.getAttribute('aria-label') || ''}" ${Math.round(box.width)}×${Math.round(box.height)}`,
        );
      }
    }
    return small;
  });
}

/** The focused element's outline: its width and its contrast against what is behind it. */
function focusRing(page: Page): Promise<{ name: string; width: number; contrast: number }> {
  return page.evaluate(() => {
    const parse = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const [R, G, B] = [r, g, b].map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * (R ?? 0) + 0.7152 * (G ?? 0) + 0.0722 * (B ?? 0);
    };
    const focused = document.activeElement as HTMLElement;
    const style = getComputedStyle(focused);
    // What the ring is drawn over: the nearest ancestor with a background of its own.
    let behind = focused.parentElement;
    while (behind && parse(getComputedStyle(behind).backgroundColor)[3] === 0) behind = behind.parentElement;
    const back = parse(getComputedStyle(behind ?? document.documentElement).backgroundColor);
    const [l1, l2] = [luminance(parse(style.outlineColor)), luminance(back)].sort((a, b) => b - a);
    return {
      name: focused.textContent?.trim() || focused.id,
      width: style.outlineStyle === 'none' ? 0 : Number.parseFloat(style.outlineWidth),
      contrast: ((l1 ?? 0) + 0.05) / ((l2 ?? 0) + 0.05),
    };
  });
}

/** Axe, the 44 px rule and a visible focus ring on the control that has focus, for one screen. */
async function checkScreen(page: Page, screen: string): Promise<void> {
  await expectNoAxeViolations(page, screen);
  expect(await smallTargets(page), `controls under 44 px on "${screen}"`).toEqual([]);
  await expectFocusRing(page, screen);
}

async function expectFocusRing(page: Page, screen: string): Promise<void> {
  // A heading the shell focused to move a screen reader along (tabindex -1) wears no ring by design.
  const programmatic = await page.evaluate(
    () =>
      document.activeElement === document.body || document.activeElement?.getAttribute('tabindex') === '-1',
  );
  if (programmatic) return;
  const ring = await focusRing(page);
  expect(ring.width, `focus ring of "${ring.name}" on "${screen}"`).toBeGreaterThanOrEqual(2);
  expect(ring.contrast, `focus ring contrast of "${ring.name}" on "${screen}"`).toBeGreaterThanOrEqual(3);
}

const focusedName = (page: Page) =>
  page.evaluate(() => {
    const focused = document.activeElement as HTMLElement | null;
    return focused?.getAttribute('aria-label') || focused?.textContent?.trim() || focused?.id || '';
  });

describe('the shell with a keyboard alone, in every theme', () => {
  const script = writeScript();

  for (const mode of allThemeModes) {
    it(`asks, answers a question, recovers from an error, watches progress and runs an app (${mode})`, async () => {
      // Slow enough to watch: about 11 s per app, with a rendered preview on the way.
      const daemon = await startDaemon({
        env: { FIGMENT_MODEL_SCRIPT: script, FIGMENT_MODEL_SCRIPT_DELAY_MS: '100' },
      });
      daemons.push(daemon);
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await startInTheme(page, mode);
      // High contrast is often paired with less motion; check both at once.
      if (mode === 'high-contrast') await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.goto(daemon.shellUrl);
      await page.getByRole('heading', { name: 'Your apps' }).waitFor();
      await page.waitForFunction(() => document.querySelector('.shell:not([inert])'));

      // The first Tab lands on the skip link, the next on the intent field.
      await page.keyboard.press('Tab');
      expect(await focusedName(page)).toBe('Skip to your apps');
      await checkScreen(page, `launcher (${mode})`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('intent-input');

      // A request that needs a question first: the cards take focus, arrows pick, Enter sends.
      await page.keyboard.type('a quiz about capitals');
      await page.keyboard.press('Enter');
      await page.getByRole('group', { name: 'A few questions first' }).waitFor();
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('5');
      await checkScreen(page, `clarifying question (${mode})`);
      await page.keyboard.press('ArrowDown');
      expect(await page.getByRole('radio', { name: '10' }).isChecked()).toBe(true);
      await page.keyboard.press('Tab');
      expect(await focusedName(page)).toBe('Make it');
      await page.keyboard.press('Enter');

      // The scripted model has no quiz: a plain-language problem with one obvious next step, focused.
      await page.getByText('The model wrote something that is not a working app.').waitFor();
      expect(await focusedName(page)).toBe('Try again');
      await checkScreen(page, `error (${mode})`);
      await page.keyboard.press('Tab');
      expect(await focusedName(page)).toBe('Say it differently');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('intent-input');

      // Progress: Cancel takes focus, and Escape stops the model while it writes.
      await page.keyboard.type('a counter with a big plus button');
      await page.keyboard.press('Enter');
      await page.locator('.progress-stage', { hasText: 'Writing the app…' }).waitFor();
      expect(await focusedName(page)).toBe('Cancel');
      await page.keyboard.press('Escape');
      await page.getByText('Stopped. Nothing was changed.').waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('intent-input');

      // Again, to the end: stage, counts, the announcer and a rendered preview, then the app runs.
      await page.keyboard.press('Enter');
      const preview = page.locator('figure.preview:not([hidden])');
      await preview.waitFor();
      const previewText = () =>
        page
          .locator('iframe.preview-frame')
          .evaluate((frame: HTMLIFrameElement) => frame.contentDocument?.body?.textContent ?? '');
      await expect.poll(previewText, { timeout: 20_000 }).toContain('Counter');
      expect(await focusedName(page)).toBe('Cancel');
      expect(await page.locator('.progress [role="status"]').textContent()).toMatch(
        /^(Writing the app…|Still working)/,
      );
      expect(await preview.getByText(/^Preview/).isVisible()).toBe(true);
      if (mode === 'high-contrast') {
        expect(
          await page.locator('.progress-bar').evaluate((bar) => getComputedStyle(bar).animationName),
        ).toBe('none');
      }
      await checkScreen(page, `progress with preview (${mode})`);
      await page
        .frameLocator('iframe.app-frame')
        .getByRole('button', { name: 'Add one' })
        .waitFor({ timeout: 40_000 });
      await checkScreen(page, `running app (${mode})`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
      await expectFocusRing(page, `running app (${mode})`);

      // figmentd goes away: the reconnecting screen, never a blank one.
      await daemon.stop();
      await page.getByRole('heading', { name: 'Reconnecting to Figment…' }).waitFor();
      await page.keyboard.press('Tab');
      expect(await focusedName(page)).toBe('Try now');
      await checkScreen(page, `reconnecting (${mode})`);
      await page.close();
    }, 150_000);
  }
});
