import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Theme, themeModes } from '../../services/protocol/index.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The rules the shell is held to: WCAG 2.0–2.2 A and AA, plus axe's best practices. */
const ruleTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** One rule broken, with where (first few selectors) so a failure can be found quickly. */
export interface AxeFinding {
  rule: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in a page or frame (what a screen shows now) and returns
 * every rule broken. The app frames are excluded: generated apps are
 * checked by the quality suite, the shell's own screens here.
 */
export async function runAxe(target: Page | Frame): Promise<AxeFinding[]> {
  await target.evaluate(axeSource);
  return target.evaluate(async (tags) => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            context: unknown,
            options: unknown,
          ): Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    const found = await axe.run(
      { exclude: [['iframe']] },
      { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] },
    );
    return found.violations.map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
  }, ruleTags);
}

/** Fails the test with every broken rule named, for the screen called `screen`. */
export async function expectNoAxeViolations(target: Page | Frame, screen: string): Promise<void> {
  const findings = await runAxe(target);
  expect(findings, `axe-core on "${screen}"`).toEqual([]);
}

/** Every theme mode the shell offers; tests run each screen in each one. */
export const allThemeModes: readonly Theme['mode'][] = themeModes;

/**
 * Makes the page start in `mode` (the shell reads its saved theme from its
 * own storage at load): call before `page.goto`.
 */
export async function startInTheme(page: Page, mode: Theme['mode'], textScale = 1): Promise<void> {
  await page.addInitScript(
    ([chosenMode, scale]) => {
      try {
        localStorage.setItem(
          'figment.theme',
          JSON.stringify({ mode: chosenMode, textScale: scale, reducedMotion: false }),
        );
      } catch {
        // An app frame (opaque origin) has no storage; only the shell's page needs it.
      }
    },
    [mode, textScale] as const,
  );
}
