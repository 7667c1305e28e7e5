import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AppSummary } from '../../services/protocol/index.js';
import { ApiClient } from './ApiClient.js';
import { launchChromium } from './browser.js';
import { bundleJson, patchJson } from './scriptedApps.js';
import { type RunningDaemon, startDaemon } from './startDaemon.js';

/**
 * A few small apps for the shell's own tests, made through figmentd's real
 * generation path by the scripted backend: a counter that saves, a notes pad
 * whose draft lives only in memory, and one that tries to cover the screen.
 */
export const shellApps = {
  water: 'Water tracker',
  notes: 'Notes pad',
  cover: 'Full screen cover',
} as const;

const notesBody =
  '<h1>Notes pad</h1>\n<label for="draft">Draft</label>\n<textarea id="draft"></textarea>\n<output id="out">0</output>\n<button id="go" type="button">Count</button>';
const coverStyle =
  '#cover { position: fixed; inset: 0; z-index: 2147483647; background: #c00000; color: #ffffff; font-size: 40px; }';
const coverBody =
  '<div id="cover">Figment — Close — this is not the shell</div>\n<h1>Full screen cover</h1>\n<output id="out">0</output>\n<button id="go" type="button">Count</button>';

const responses = [
  { match: '^Before writing', output: { questions: [] } },
  // "Change this" on the water tracker: a patch that renames its heading.
  {
    match: '^Change this app: Change it: say glasses',
    output: patchJson([{ search: '<h1>Water tracker</h1>', replace: '<h1>Glasses of water</h1>' }], {
      name: shellApps.water,
    }),
  },
  { match: '^Request: a water tracker', output: bundleJson({ name: shellApps.water }) },
  { match: '^Request: a notes pad', output: bundleJson({ name: shellApps.notes, body: notesBody }) },
  {
    match: '^Request: a full screen cover',
    output: bundleJson({
      name: shellApps.cover,
      capabilities: ['storage', 'location'],
      icon: 'flag',
      style: coverStyle,
      body: coverBody,
    }),
  },
];

/** Starts figmentd with the scripted backend that knows these apps. */
export function startShellDaemon(stateDir?: string): Promise<RunningDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'figment-shell-script-'));
  const script = join(dir, 'responses.json');
  writeFileSync(script, JSON.stringify({ responses }));
  return startDaemon({ stateDir, env: { FIGMENT_MODEL_SCRIPT: script } });
}

/** What a shell test file starts with: Chromium, one 1280×800 page, and figmentd knowing these apps. */
export async function startShellPage(): Promise<{ browser: Browser; page: Page; daemon: RunningDaemon }> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  return { browser, page, daemon: await startShellDaemon() };
}

/** Makes one of the apps through the API, as if it had been asked for. */
export async function makeApp(daemon: RunningDaemon, intent: string): Promise<AppSummary> {
  const client = await ApiClient.connect(`ws+unix://${daemon.socketPath}:/api`);
  try {
    const reply = await client.call('generate', { intent }, 20_000);
    if (reply.type !== 'reply') throw new Error(`generate failed: ${JSON.stringify(reply)}`);
    return (reply.result as { app: AppSummary }).app;
  } finally {
    client.close();
  }
}

/** Every button, tab, field and radio the person can reach is at least 44 × 44 px. */
export async function expectTouchTargets(page: Page, scope: string): Promise<void> {
  const small = await page.evaluate((selector) => {
    const controls = document.querySelectorAll<HTMLElement>(
      `${selector} button, ${selector} input:not([type="radio"]), ${selector} [role="tab"], ${selector} label:has(input[type="radio"])`,
    );
    return [...controls]
      .filter((control) => control.offsetParent !== null || control.getClientRects().length > 0)
      .map((control) => {
        const box = control.getBoundingClientRect();
        return {
          what: control.textContent?.trim().slice(0, 40) ?? control.tagName,
          width: box.width,
          height: box.height,
        };
      })
      .filter((box) => box.width > 0 && (box.width < 44 || box.height < 44));
  }, scope);
  expect(small, `touch targets under 44 px in ${scope}`).toEqual([]);
}
