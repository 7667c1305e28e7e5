import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Dialog, Frame, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ContextStore } from '../../../services/figmentd/store/ContextStore.js';
import type { Capability, JsonValue } from '../../../services/protocol/index.js';
import { launchHostContext } from '../../support/browser.js';
import { type RunningDaemon, startDaemon, storedValue } from '../../support/startDaemon.js';
import { ExfilServer } from './ExfilServer.js';
import type { HostileApp, Targets } from './hostileApp.js';

export const VICTIM_NAME = 'Victim notes';
export const VICTIM_SECRET = 'victim-secret-7f3a';

/** Stores one app (as if generated) straight into the database the daemon will open. */
function storeApp(store: ContextStore, name: string, html: string, capabilities: Capability[]): string {
  const { app } = store.createApp({
    intent: `red team: ${name}`,
    bundle: { manifest: { name, description: '', capabilities }, html },
    model: 'red-team',
    promptVersion: 'v1',
    promptTokens: 0,
    completionTokens: 0,
    generationMs: 0,
    validationMs: 0,
  });
  return app.id;
}

/**
 * One daemon, one Chromium and one exfil listener shared by a file's hostile
 * apps. The apps go straight into the store (not through validation): the
 * runtime must contain whatever reaches it, validated or not.
 */
export class RedTeam {
  readonly dialogs: Dialog[] = [];
  readonly popups: Page[] = [];
  readonly downloads: string[] = [];
  readonly appIds = new Map<string, string>();
  #current: HostileApp | undefined;
  /** The shell page's address once it had started (it drops the token from the fragment). */
  shellPageUrl = '';

  private constructor(
    readonly daemon: RunningDaemon,
    readonly browser: BrowserContext,
    readonly page: Page,
    readonly exfil: ExfilServer,
    readonly victimAppId: string,
  ) {}

  /** `stateDir` reuses an earlier run's state (its victim app included) instead of a fresh one. */
  static async start(
    apps: readonly HostileApp[],
    env: Record<string, string> = {},
    stateDir = mkdtempSync(join(tmpdir(), 'figment-redteam-')),
  ): Promise<RedTeam> {
    const exfil = await ExfilServer.start();
    const store = ContextStore.open({ path: join(stateDir, 'figment.db') });
    const appIds = new Map<string, string>();
    let victimAppId: string;
    try {
      victimAppId = storeApp(store, VICTIM_NAME, '<!doctype html><title>Victim</title><p>notes</p>', [
        'storage',
      ]);
      store.setData(victimAppId, 'secret', VICTIM_SECRET);
      const targets: Targets = {
        http: (tag) => `${exfil.origin}/${tag}`,
        ws: (tag) => `ws://127.0.0.1:${exfil.tcpPort}/${tag}`,
        udpPort: exfil.udpPort,
        tcpPort: exfil.tcpPort,
        // Filled in below once the daemon listens; apps that need it read it from the frame's own URL.
        daemonOrigin: '',
        victimAppId,
      };
      for (const app of apps) {
        appIds.set(app.name, storeApp(store, app.name, app.html(targets), app.capabilities ?? ['storage']));
      }
    } finally {
      store.dispose();
    }
    const daemon = await startDaemon({ stateDir, env });
    const browser = await launchHostContext();
    const context = browser;
    const page = browser.pages()[0] ?? (await browser.newPage());
    const team = new RedTeam(daemon, browser, page, exfil, victimAppId);
    for (const [name, id] of appIds) team.appIds.set(name, id);
    page.on('dialog', (dialog) => {
      team.dialogs.push(dialog);
      void dialog.dismiss();
    });
    context.on('page', (popup) => team.popups.push(popup));
    page.on('download', (download) => team.downloads.push(download.suggestedFilename()));
    await page.goto(daemon.shellUrl);
    await page.getByRole('heading', { name: 'Your apps' }).waitFor();
    team.shellPageUrl = page.url();
    return team;
  }

  /** Opens a hostile app through the launcher, as a person would. */
  async open(app: HostileApp): Promise<void> {
    this.#current = app;
    // Hits are checked per app; an earlier app's hit has already failed its own test.
    this.exfil.hits.length = 0;
    const close = this.page.locator('.app-bar button', { hasText: 'Close' });
    if (await close.isVisible()) await close.click();
    // Closing refreshes the launcher, which may reorder its tiles: click once they stay put.
    await this.page.locator('.launcher-body:not([aria-busy])').waitFor();
    await this.page.getByRole('button', { name: app.name, exact: true }).click();
    // Its frame, or the notice that the supervisor already stopped it (a flood is stopped within milliseconds).
    const opened = this.page
      .locator(`iframe.app-frame[title="${app.name}"]`)
      .or(this.page.locator('.app-stopped', { hasText: app.name }));
    await opened.waitFor({ state: 'attached', timeout: 20_000 }).catch(async (error: unknown) => {
      // Say what the shell shows instead, so a failure here explains itself.
      const shown = await this.page.evaluate(() => ({
        stages: [...document.querySelectorAll('.app-stage')].map((stage) => stage.textContent),
        frames: [...document.querySelectorAll('iframe')].map((frame) => `${frame.className} ${frame.title}`),
        launcherHidden: document.querySelector<HTMLElement>('#launcher')?.hidden,
      }));
      throw new Error(`${app.name} did not open: ${JSON.stringify(shown)}`, { cause: error });
    });
  }

  /** The running app's frame (its own process, reached through the DevTools protocol). */
  async frame(): Promise<Frame> {
    await expect.poll(() => this.page.frames().some((frame) => frame.url().includes('/frame/'))).toBe(true);
    const frame = this.page.frames().find((candidate) => candidate.url().includes('/frame/'));
    if (!frame) throw new Error('no app frame');
    return frame;
  }

  /** What the running app wrote into #result, parsed from JSON. */
  async result(timeoutMs = 15_000): Promise<JsonValue> {
    const output = this.page.frameLocator('iframe.app-frame').locator('#result');
    await expect
      .poll(async () => (await output.textContent({ timeout: timeoutMs })) ?? '', { timeout: timeoutMs })
      .not.toBe('');
    return JSON.parse((await output.textContent()) ?? 'null') as JsonValue;
  }

  /** True when the shell page answers a script within `withinMs`: its renderer is not frozen. */
  async shellResponds(withinMs = 2000): Promise<boolean> {
    const answer = this.page.evaluate(() => document.querySelector('h1')?.textContent ?? '');
    const late = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), withinMs));
    return (await Promise.race([answer, late])) === 'Figment';
  }

  /** Waits for the supervisor's notice and returns the reason it gives. */
  async stoppedReason(timeoutMs = 15_000): Promise<string | null> {
    const notice = this.page.locator('.app-stopped');
    await notice.waitFor({ timeout: timeoutMs });
    return notice.getAttribute('data-reason');
  }

  /** Waits a little for late traffic, then asserts the exfil listener heard nothing at all. */
  async expectNoExfiltration(graceMs = 500): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, graceMs));
    expect(this.exfil.hits, `${this.#current?.name ?? 'an app'} reached the network`).toEqual([]);
  }

  /** The shell is still itself: on its own URL, responsive, and no popup, dialog or download happened. */
  async expectShellIntact(): Promise<void> {
    expect(await this.shellResponds()).toBe(true);
    expect(this.page.url()).toBe(this.shellPageUrl);
    expect(this.popups).toHaveLength(0);
    expect(this.dialogs.map((dialog) => dialog.message())).toEqual([]);
    expect(this.downloads).toEqual([]);
  }

  /** Reads an app's stored value straight from figmentd, as the shell would. */
  storedValue(appId: string, key: string): Promise<JsonValue | null> {
    return storedValue(this.daemon, appId, key);
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.daemon?.stop();
    await this.exfil?.stop();
  }
}
