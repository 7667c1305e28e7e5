import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PinHash } from '../../services/figmentd/admin/PinHash.js';
import { ErrorCode } from '../../services/protocol/errors.js';
import type { ServerMessage } from '../../services/protocol/messages.js';
import { ApiClient } from '../support/ApiClient.js';
import { allThemeModes, expectNoAxeViolations, startInTheme } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
import { type RunningDaemon, startDaemon } from '../support/startDaemon.js';

const PIN = '2468';
let browser: Browser;
let daemon: RunningDaemon;
let page: Page;
const clients: ApiClient[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  daemon = await startDaemon({
    env: { FIGMENT_KIOSK: 'true', FIGMENT_ADMIN_PIN_HASH: (await PinHash.create(PIN)).toString() },
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await browser?.close();
  await daemon?.stop();
});

async function connect(): Promise<ApiClient> {
  const client = await ApiClient.connect(`${daemon.url.replace('http', 'ws')}/api?token=${daemon.token}`);
  clients.push(client);
  return client;
}

function codeOf(message: ServerMessage): string {
  return message.type === 'error' ? message.error.code : 'reply';
}

const settings = () => page.getByRole('region', { name: 'Settings' });
const prompt = () => page.getByRole('form', { name: 'Admin PIN needed' });

describe('Settings on a kiosk', () => {
  it('asks for the admin PIN first; Display stays open without it', async () => {
    await page.goto(daemon.shellUrl);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await prompt().waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('admin-pin');
    expect(await settings().locator('.doctor-rows').count()).toBe(0);
    // A kiosk user must be able to make text bigger without the keeper.
    await page.getByRole('tab', { name: 'Display' }).click();
    await page.getByLabel('Text size').selectOption('2');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('44px');
    await page.getByLabel('Text size').selectOption('1');
    for (const section of ['Privacy', 'Permissions']) {
      await page.getByRole('tab', { name: section }).click();
      await prompt().waitFor();
    }
  });

  it('passes axe on the PIN prompt in every theme', async () => {
    for (const mode of allThemeModes) {
      const themed = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      try {
        await startInTheme(themed, mode);
        await themed.goto(daemon.shellUrl);
        await themed.getByRole('button', { name: 'Settings', exact: true }).click();
        await themed.getByRole('form', { name: 'Admin PIN needed' }).waitFor();
        await expectNoAxeViolations(themed, `admin PIN prompt (${mode})`);
        await themed.getByLabel('Admin PIN', { exact: true }).fill('0000');
        await themed.getByRole('button', { name: 'Unlock' }).click();
        await themed.getByRole('alert').filter({ hasText: 'That is not the admin PIN.' }).waitFor();
        await expectNoAxeViolations(themed, `admin PIN prompt with a wrong PIN (${mode})`);
      } finally {
        await themed.close();
      }
      // Each page made one wrong try; the right PIN resets the count before the back-off starts.
      const keeper = await connect();
      expect(codeOf(await keeper.call('admin.unlock', { pin: PIN }))).toBe('reply');
    }
  }, 120_000);

  it('refuses a wrong PIN with a coded error, opens with the right one, and locks again on Done', async () => {
    await page.getByLabel('Admin PIN', { exact: true }).fill('1111');
    await page.getByRole('button', { name: 'Unlock' }).click();
    const problem = page.locator('.admin-problem');
    await expect.poll(() => problem.textContent()).toBe('That is not the admin PIN.');
    expect(await problem.getAttribute('data-code')).toBe(ErrorCode.WrongPin);
    await page.getByLabel('Admin PIN', { exact: true }).fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.locator('.grant-list').waitFor();
    await page.getByRole('tab', { name: 'System' }).click();
    await settings().locator('.doctor-rows dt').first().waitFor({ timeout: 60_000 });
    await settings().getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await prompt().waitFor();
  }, 90_000);
});

describe('figmentd on a kiosk refuses the admin methods without the PIN', () => {
  it('refuses forgetting, exporting, revoking and the audit list until this connection is unlocked', async () => {
    const client = await connect();
    const made = await client.call('generate', { intent: 'a counter app' }, 30_000);
    if (made.type !== 'reply') throw new Error(JSON.stringify(made));
    const appId = (made.result as { app: { id: string } }).app.id;
    const privileged: Array<[string, unknown]> = [
      ['context.export', {}],
      ['context.forgetAll', {}],
      ['apps.forget', { appId }],
      ['broker.revoke', { appId, capability: 'camera' }],
      ['broker.audit', {}],
    ];
    expect(await client.call('admin.status', {})).toMatchObject({
      result: { kiosk: true, pinSet: true, unlocked: false },
    });
    for (const [method, params] of privileged) {
      const refused = await client.call(method, params);
      expect(refused, method).toMatchObject({ type: 'error', error: { code: ErrorCode.AdminRequired } });
    }
    // Reading what needs no keeper still works.
    expect(codeOf(await client.call('apps.list', {}))).toBe('reply');
    expect(codeOf(await client.call('admin.unlock', { pin: '9999' }))).toBe(ErrorCode.WrongPin);
    expect(codeOf(await client.call('admin.unlock', { pin: 'abcd' }))).toBe(ErrorCode.BadMessage);

    expect(codeOf(await client.call('admin.unlock', { pin: PIN }))).toBe('reply');
    const exported = await client.call('context.export', {});
    expect(exported).toMatchObject({ type: 'reply', result: { apps: expect.any(Number) } });
    expect(codeOf(await client.call('broker.audit', {}))).toBe('reply');
    // Unlocking one connection unlocks no other.
    const other = await connect();
    expect(codeOf(await other.call('context.forgetAll', {}))).toBe(ErrorCode.AdminRequired);
    expect(codeOf(await client.call('admin.lock', {}))).toBe('reply');
    expect(codeOf(await client.call('context.export', {}))).toBe(ErrorCode.AdminRequired);
    // A PIN chosen in the config cannot be replaced from a screen.
    expect(codeOf(await client.call('admin.setPin', { pin: '1357' }))).toBe(ErrorCode.Config);
  });

  it('backs off after three wrong PINs, for every connection, even with the right PIN', async () => {
    const first = await connect();
    for (let i = 0; i < 3; i++) {
      expect(codeOf(await first.call('admin.unlock', { pin: `000${i}` }))).toBe(ErrorCode.WrongPin);
    }
    const second = await connect();
    const refused = await second.call('admin.unlock', { pin: PIN });
    expect(refused).toMatchObject({
      type: 'error',
      error: {
        code: ErrorCode.TooManyTries,
        message: expect.stringMatching(/^Too many wrong PINs\. Wait \d+ seconds? before trying again\.$/),
      },
    });
    const status = await second.call('admin.status', {});
    expect(status).toMatchObject({ result: { unlocked: false, retryInMs: expect.any(Number) } });
    expect((status as { result: { retryInMs: number } }).result.retryInMs).toBeGreaterThan(0);
  });
});

describe('a kiosk with no admin PIN yet', () => {
  it('lets the first person choose one, which figmentd then asks for', async () => {
    const fresh = await startDaemon({ env: { FIGMENT_KIOSK: 'true' } });
    const first = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await first.goto(fresh.shellUrl);
      await first.getByRole('button', { name: 'Settings', exact: true }).click();
      const choose = first.getByRole('form', { name: 'Choose an admin PIN' });
      await choose.waitFor();
      await expectNoAxeViolations(first, 'choose an admin PIN');
      await first.getByLabel('New admin PIN').fill('97531');
      await first.getByLabel('The same PIN again').fill('97530');
      await first.getByRole('button', { name: 'Set PIN' }).click();
      await expect.poll(() => first.locator('.admin-problem').textContent()).toBe('The two PINs differ.');
      await first.getByLabel('New admin PIN').fill('97531');
      await first.getByLabel('The same PIN again').fill('97531');
      await first.getByRole('button', { name: 'Set PIN' }).click();
      await first.locator('.doctor-rows').waitFor();
      expect(readFileSync(join(fresh.stateDir, 'admin-pin'), 'utf8')).toMatch(/^scrypt\$/);

      const client = await ApiClient.connect(`${fresh.url.replace('http', 'ws')}/api?token=${fresh.token}`);
      clients.push(client);
      expect(codeOf(await client.call('admin.setPin', { pin: '1111' }))).toBe(ErrorCode.AdminRequired);
      expect(codeOf(await client.call('admin.unlock', { pin: '97531' }))).toBe('reply');
    } finally {
      await first.close();
      await fresh.stop();
    }
  }, 90_000);
});
