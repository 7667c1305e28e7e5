import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdpChromium } from '../support/cdpChromium.js';

/**
 * The bare DevTools driver `npm run bench:shell` measures with: it must press
 * a real button, run code before the page's own, and reach an app-like
 * sandboxed frame (its own process) only when asked.
 */
const PAGE = `<!doctype html><html lang="en"><title>Driver</title>
<script>window.seenBeforeLoad = window.plantedEarly === true;</script>
<button id="press" style="position: absolute; left: 20px; top: 20px; width: 120px; height: 60px">Press</button>
<iframe sandbox="allow-scripts" src="/frame" title="frame"></iframe>
<script>
  window.presses = [];
  document.getElementById('press').addEventListener('click', (event) => window.presses.push(event.isTrusted));
</script></html>`;

const FRAME = '<!doctype html><html lang="en"><title>Frame</title><p>frame</p></html>';

describe('the bench driver (bare DevTools pipe)', () => {
  let server: Server;
  let origin = '';
  let chromium: CdpChromium;

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(request.url === '/frame' ? FRAME : PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    chromium = CdpChromium.launch();
  });

  afterAll(async () => {
    await chromium?.close();
    server?.close();
  });

  it('runs code before the page, presses with the mouse, and reaches a frame only when asked', async () => {
    const page = await chromium.openPage(`${origin}/`, { beforeLoad: 'window.plantedEarly = true;' });
    await page.waitFor("document.readyState === 'complete'", 'the page');
    expect(await page.evaluate('window.seenBeforeLoad')).toBe(true);

    await page.click(80, 50);
    await page.waitFor('window.presses.length === 1', 'the press');
    // A real input event, not a script's click().
    expect(await page.evaluate('window.presses')).toEqual([true]);

    const frame = await chromium.attachToFrame(/\/frame$/);
    expect(await frame.evaluate('document.title')).toBe('Frame');
    // The sandboxed frame has an opaque origin: it is its own site, apart from the page.
    expect(await frame.evaluate('origin')).toBe('null');

    await expect(page.evaluate('missingName.property')).rejects.toThrow(/missingName is not defined/);
    await expect(page.waitFor('false', 'something that never comes', 100)).rejects.toThrow(
      /something that never comes: nothing within 100 ms/,
    );
    await page.close();
  });

  it('says which frames there are when none matches', async () => {
    await expect(chromium.attachToFrame(/\/no-such-frame$/)).rejects.toThrow(/no frame at/);
  });
});
