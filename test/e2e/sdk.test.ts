/**
 * The Figment SDK in real Chromium against a real figmentd: each call's
 * happy path and refusal, theme changes reaching a running app, the
 * lifecycle, and data surviving a regeneration of the app.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextStore } from '../../services/figmentd/store/ContextStore.js';
import { type HostileApp, probe } from '../redteam/support/hostileApp.js';
import { RedTeam } from '../redteam/support/RedTeam.js';

/** A well-behaved app under test (the harness is the red team's; these apps mean no harm). */
function app(name: string, body: string, capabilities: HostileApp['capabilities'] = ['storage']): HostileApp {
  return {
    name,
    attack: 'resource exhaustion',
    capabilities,
    html: () => probe(body),
    check: async () => {},
  };
}

const storageApp = app(
  'SDK storage',
  `const code = (p) => p.then((v) => ({ ok: v === undefined ? null : v }), (error) => error.code);
   await figment.storage.set('list', [{ text: 'milk', done: false }, 3, 'x', null, true]);
   return {
     roundTrip: await figment.storage.get('list'),
     missing: await figment.storage.get('nothing'),
     badKey: await code(figment.storage.get('')),
     notJson: await code(figment.storage.set('f', { when: new Date() })),
     tooBig: await code(figment.storage.set('big', 'x'.repeat(600 * 1024))),
   };`,
);
const noStorageApp = app(
  'SDK without storage',
  `return await figment.storage.get('k').then(() => 'allowed', (error) => error.code);`,
  [],
);
const themeApp = app(
  'SDK theme',
  `window.changes = [];
   figment.theme.onChange((theme) => window.changes.push(theme.mode + ' ' + theme.textScale + ' ' + theme.reducedMotion));
   return figment.theme.current;`,
);
const sensorApp = app(
  'SDK sensors',
  `const code = (p) => p.then(() => 'granted', (error) => ({ code: error.code, message: error.message }));
   return {
     location: await code(figment.sensors.location()),
     badDuration: await code(figment.sensors.microphone({ durationMs: 60_000 })),
   };`,
  ['location', 'microphone'],
);
const lifecycleApp = app(
  'SDK lifecycle',
  `setTimeout(() => { throw new Error('lifecycle-thrown'); }, 10);
   setTimeout(() => Promise.reject(new Error('lifecycle-rejected')), 20);
   await sleep(100);
   return { version: figment.version, frozen: Object.isFrozen(figment) };`,
);

describe('the Figment SDK', () => {
  let team: RedTeam;
  const consoleLines: string[] = [];

  beforeAll(async () => {
    team = await RedTeam.start([storageApp, noStorageApp, themeApp, sensorApp, lifecycleApp]);
    team.page.on('console', (message) => consoleLines.push(message.text()));
  });
  afterAll(async () => {
    await team?.stop();
  });

  it('stores and reads JSON, and refuses bad keys, non-JSON and values over the limit with codes', async () => {
    await team.open(storageApp);
    expect(await team.result()).toEqual({
      roundTrip: [{ text: 'milk', done: false }, 3, 'x', null, true],
      missing: null,
      badKey: 'FIGMENT_ERR_BAD_MESSAGE',
      notJson: 'FIGMENT_ERR_BAD_MESSAGE',
      tooBig: 'FIGMENT_ERR_STORAGE_QUOTA',
    });
    const appId = team.appIds.get(storageApp.name) ?? '';
    expect(await team.storedValue(appId, 'list')).toEqual([
      { text: 'milk', done: false },
      3,
      'x',
      null,
      true,
    ]);
    expect(await team.storedValue(appId, 'big')).toBeNull();
  });

  it('refuses storage to an app that did not declare it', async () => {
    await team.open(noStorageApp);
    expect(await team.result()).toBe('FIGMENT_ERR_CAPABILITY');
  });

  it('starts an app with the theme and carries changes to it while it runs', async () => {
    await team.open(themeApp);
    const initial = (await team.result()) as { mode: string; colors: Record<string, string> };
    expect(initial.mode).toBe('light');
    expect(initial.colors.bg).toBe('#ffffff');
    const frame = await team.frame();
    const look = () =>
      frame.evaluate(() => {
        const style = getComputedStyle(document.documentElement);
        return {
          bg: style.getPropertyValue('--figment-bg'),
          scale: style.getPropertyValue('--figment-text-scale'),
          rootFontSize: style.fontSize,
          mode: document.documentElement.dataset.figmentTheme,
          reduced: document.documentElement.hasAttribute('data-figment-reduced-motion'),
          changes: (window as unknown as { changes: string[] }).changes,
        };
      });
    expect(await look()).toMatchObject({
      bg: '#ffffff',
      scale: '1',
      rootFontSize: '16px',
      mode: 'light',
      reduced: false,
    });

    await team.page.getByRole('button', { name: 'Settings', exact: true }).click();
    await team.page.getByRole('tab', { name: 'Display' }).click();
    await team.page.getByLabel('Colours').selectOption('dark');
    await team.page.getByLabel('Text size').selectOption('1.5');
    await team.page.getByLabel('Reduce motion').check();
    await expect.poll(look).toEqual({
      bg: '#121316',
      scale: '1.5',
      rootFontSize: '24px',
      mode: 'dark',
      reduced: true,
      changes: ['dark 1 false', 'dark 1.5 false', 'dark 1.5 true'],
    });
    await team.page.getByLabel('Colours').selectOption('high-contrast');
    await expect.poll(async () => (await look()).bg).toBe('#000000');
    await team.page.getByRole('button', { name: 'Done' }).click();

    // A frame opened later starts in the chosen theme at once (no flash of the old one).
    await team.open(themeApp);
    expect(((await team.result()) as { mode: string }).mode).toBe('high-contrast');
    await team.page.getByRole('button', { name: 'Settings', exact: true }).click();
    await team.page.getByRole('tab', { name: 'Display' }).click();
    await team.page.getByLabel('Colours').selectOption('light');
    await team.page.getByRole('button', { name: 'Done' }).click();
  });

  it('asks the person before a sensor is used, refuses with a clear coded error, and checks arguments', async () => {
    await team.open(sensorApp);
    // With the broker in place, an ungranted sensor puts the shell's consent card up first.
    const card = team.page.getByRole('alertdialog');
    await card.waitFor();
    await card.getByRole('button', { name: 'Don’t allow' }).click();
    expect(await team.result()).toEqual({
      location: {
        code: 'FIGMENT_ERR_NOT_GRANTED',
        message: expect.stringMatching(/said no/),
      },
      badDuration: {
        code: 'FIGMENT_ERR_BAD_MESSAGE',
        message: 'durationMs must be a whole number from 100 to 10000',
      },
    });
  });

  it('reports uncaught errors and rejections, and keeps a healthy app running on its heartbeat', async () => {
    await team.open(lifecycleApp);
    expect(await team.result()).toEqual({ version: '1.2.0', frozen: true });
    await expect
      .poll(() => consoleLines.join('\n'))
      .toMatch(/SDK lifecycle .* reported error: .*lifecycle-thrown/);
    await expect
      .poll(() => consoleLines.join('\n'))
      .toMatch(/reported rejection: Unhandled rejection: .*lifecycle-rejected/);
    // Longer than the supervisor's 5 s silence limit: a frame that answers heartbeats is left alone.
    await new Promise((resolve) => setTimeout(resolve, 7000));
    expect(await team.page.locator('.app-stopped').count()).toBe(0);
    expect(await team.page.locator('iframe.app-frame').count()).toBe(1);
  }, 60_000);
});

describe('data and regeneration', () => {
  it('keeps what an app saved when the app is regenerated', async () => {
    const first = app(
      'SDK regenerated',
      `await figment.storage.set('tasks', ['water plants']); return 'v1';`,
    );
    const team = await RedTeam.start([first]);
    const appId = team.appIds.get(first.name) ?? '';
    try {
      await team.open(first);
      expect(await team.result()).toBe('v1');
    } finally {
      await team.stop();
    }
    // Regenerate: a new version with new code, stored the way figmentd stores one.
    const store = ContextStore.open({ path: join(team.daemon.stateDir, 'figment.db') });
    try {
      const parent = store.getApp(appId)?.currentVersionId ?? '';
      store.addVersion(appId, parent, {
        intent: 'regenerate it',
        bundle: {
          manifest: { name: 'SDK regenerated', description: 'v2', capabilities: ['storage'] },
          html: probe(`return { version: 2, tasks: await figment.storage.get('tasks') };`),
        },
        model: 'test',
        promptVersion: 'v1',
        promptTokens: 0,
        completionTokens: 0,
        generationMs: 0,
        validationMs: 0,
      });
    } finally {
      store.dispose();
    }
    const again = await RedTeam.start([], {}, team.daemon.stateDir);
    try {
      await again.page.getByRole('button', { name: /SDK regenerated/ }).click();
      expect(await again.result()).toEqual({ version: 2, tasks: ['water plants'] });
    } finally {
      await again.stop();
    }
  }, 90_000);
});
