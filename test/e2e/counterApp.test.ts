import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type RunningDaemon, repoRoot, startDaemon } from '../support/startDaemon.js';

let browser: Browser;
let page: Page;
const daemons: RunningDaemon[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  for (const daemon of daemons) await daemon.stop();
});

async function start(stateDir?: string): Promise<RunningDaemon> {
  const daemon = await startDaemon({ stateDir });
  daemons.push(daemon);
  return daemon;
}

function appFrame(): Frame {
  const frame = page.frames().find((candidate) => candidate.url().includes('/frame/'));
  if (!frame) throw new Error('no app frame on the page');
  return frame;
}

const countText = () =>
  page.frameLocator('iframe.app-frame, iframe.app-frame').locator('#count').textContent();

describe('the first end-to-end slice', () => {
  let first: RunningDaemon;

  it('turns a typed request into a working app in a sandboxed frame', async () => {
    first = await start();
    await page.goto(first.shellUrl);
    await page.getByLabel('What do you need?').fill('a counter with a big plus button');
    await page.getByRole('button', { name: 'Make it' }).click();

    const plus = page.frameLocator('iframe.app-frame').getByRole('button', { name: 'Add one' });
    await plus.waitFor({ timeout: 15_000 });
    expect(await page.locator('iframe.app-frame').getAttribute('sandbox')).toBe('allow-scripts');
    // The warm frame (kept loaded so apps open fast) is as sandboxed as an app, and out of everyone's way:
    // hidden once loaded (before, a transparent pixel no pointer, key or screen reader reaches).
    const warm = page.locator('iframe.app-frame-warm');
    expect(await warm.getAttribute('sandbox')).toBe('allow-scripts');
    expect(await warm.getAttribute('aria-hidden')).toBe('true');
    expect(await warm.evaluate((frame: HTMLIFrameElement) => frame.inert)).toBe(true);
    await expect.poll(() => warm.isHidden()).toBe(true);
    await expect.poll(countText).toBe('0');
    for (let i = 0; i < 3; i++) await plus.click();
    await expect.poll(countText).toBe('3');

    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-results/shell-counter-app.png') });
  });

  it('keeps the frame away from the shell, its storage and the network', async () => {
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noDocumentCookie: plants a shell cookie the frame must not see
      document.cookie = 'shell-secret=1';
      sessionStorage.setItem('shell-secret', '1');
    });
    const probe = await appFrame().evaluate(async (shellOrigin) => {
      const attempt = async (action: () => unknown) => {
        try {
          await action();
          return 'allowed';
        } catch (error) {
          return (error as Error).name;
        }
      };
      return {
        origin: self.origin,
        parentDom: await attempt(() => window.parent.document.body.innerHTML),
        topDom: await attempt(() => window.top?.document.title),
        cookie: await attempt(() => document.cookie),
        localStorage: await attempt(() => localStorage.length),
        sessionStorage: await attempt(() => sessionStorage.length),
        fetchShell: await attempt(() => fetch(`${shellOrigin}/`)),
        fetchApi: await attempt(() => fetch(`${shellOrigin.replace('localhost', '127.0.0.1')}/api`)),
        fetchOtherPort: await attempt(() => fetch('http://127.0.0.1:9/')),
      };
    }, first.url);
    expect(probe).toEqual({
      origin: 'null',
      parentDom: 'SecurityError',
      topDom: 'SecurityError',
      cookie: 'SecurityError',
      localStorage: 'SecurityError',
      sessionStorage: 'SecurityError',
      fetchShell: 'TypeError',
      fetchApi: 'TypeError',
      fetchOtherPort: 'TypeError',
    });
  });

  it('still lists the app after a restart and opens it with the count it had', async () => {
    await first.stop();
    const second = await start(first.stateDir);
    await page.goto(second.shellUrl);
    await page.getByRole('button', { name: /Counter/ }).click();
    await page.frameLocator('iframe.app-frame').getByRole('button', { name: 'Add one' }).waitFor();
    await expect.poll(countText).toBe('3');
  });
});
