import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type RunningDaemon, startDaemon } from '../support/startDaemon.js';

/** An app whose HTML tries everything a preview must not do: run code, load things, navigate. */
const hostileHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hostile</title>
<meta http-equiv="refresh" content="0;url=https://example.com/">
<base href="https://example.com/">
<link rel="stylesheet" href="https://example.com/x.css">
<style>h1 { color: rgb(200, 0, 0); }</style>
<script>document.title = 'script ran'; parent.postMessage('script ran', '*');</script>
</head><body>
<h1 onclick="document.title='clicked'">Preview marker</h1>
<p style="color: rgb(0, 0, 200)">Styled by an attribute</p>
<img src="https://example.com/pixel.png" onerror="document.title='onerror ran'" alt="remote">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="inline">
<a href="https://example.com/">away</a>
<iframe src="https://example.com/"></iframe>
<form action="https://example.com/"><button>send</button></form>
<object data="https://example.com/x"></object>
<p>${'padding so the model keeps writing for a while. '.repeat(40)}</p>
</body></html>`;

let browser: Browser;
let daemon: RunningDaemon;

beforeAll(async () => {
  const script = join(mkdtempSync(join(tmpdir(), 'figment-preview-')), 'script.json');
  writeFileSync(
    script,
    JSON.stringify({
      responses: [
        { match: '^Before writing', output: { questions: [] } },
        {
          match: 'hostile preview',
          output: { manifest: { name: 'Hostile', description: 'x', capabilities: [] }, html: hostileHtml },
        },
      ],
    }),
  );
  daemon = await startDaemon({ env: { FIGMENT_MODEL_SCRIPT: script, FIGMENT_MODEL_SCRIPT_DELAY_MS: '40' } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

describe('the early preview while the model writes', () => {
  it('renders the HTML so far with its styles, but runs nothing and loads nothing from outside', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const messages: string[] = [];
    await page.exposeFunction('recordMessage', (data: string) => messages.push(data));
    await page.addInitScript(() => {
      window.addEventListener('message', (event) => {
        (window as unknown as { recordMessage(data: string): void }).recordMessage(String(event.data));
      });
    });
    const outside: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('example.com')) outside.push(request.url());
    });
    await page.goto(daemon.shellUrl);
    await page.getByLabel('What do you need?').fill('a hostile preview');
    await page.getByRole('button', { name: 'Make it' }).click();

    const frame = page.locator('iframe.preview-frame');
    const bodyText = () =>
      frame.evaluate((f: HTMLIFrameElement) => f.contentDocument?.body?.textContent ?? '');
    await expect.poll(bodyText, { timeout: 20_000 }).toContain('padding so the model');

    expect(await frame.getAttribute('sandbox')).toBe('allow-same-origin');
    expect(await page.getByText(/^Preview: the app as written so far/).isVisible()).toBe(true);
    const inside = await frame.evaluate((f: HTMLIFrameElement) => {
      const doc = f.contentDocument as Document;
      const all = [...doc.querySelectorAll('*')];
      return {
        title: doc.title,
        dropped: doc.querySelectorAll('script, meta, base, link, iframe, form, object').length,
        handlers: all.filter((node) => node.getAttributeNames().some((name) => name.startsWith('on'))).length,
        imageSources: [...doc.images].map((img) => img.getAttribute('src') ?? ''),
        links: [...doc.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        headingColor: getComputedStyle(doc.querySelector('h1') as Element).color,
        attributeColor: getComputedStyle(doc.querySelectorAll('p')[0] as Element).color,
      };
    });
    expect(inside.dropped).toBe(0);
    expect(inside.handlers).toBe(0);
    expect(inside.imageSources).toEqual(['', 'data:image/gif;base64,R0lGODlhAQABAAAAACw=']);
    expect(inside.links).toEqual([null]);
    expect(inside.headingColor).toBe('rgb(200, 0, 0)');
    expect(inside.attributeColor).toBe('rgb(0, 0, 200)');
    expect(inside.title).not.toMatch(/ran|clicked/);
    expect(await page.title()).toBe('Figment');
    expect(messages).not.toContain('script ran');
    expect(outside).toEqual([]);
    await page.close();
  });
});
