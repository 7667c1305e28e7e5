import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { chromiumArgs, chromiumPath, requireChromium } from './browser.js';

/**
 * Debian's Chromium driven over a bare DevTools pipe, for benchmarks.
 *
 * Playwright attaches to every page and every out-of-process frame and turns
 * on its Runtime, Page and Network instrumentation there, and gives each page
 * a fresh browser context; on two cores that added ~90 ms to an app's open.
 * Here nothing is attached unless asked for, and tabs share one profile as on
 * a kiosk, so a figure measures what a person's Chromium does.
 */
export class CdpChromium {
  #nextId = 0;
  readonly #pending = new Map<
    number,
    { method: string; resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  #buffer = '';
  /** The end of what Chromium printed, to say why when it exits. */
  #stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const output = child.stdio[4] as Readable;
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => this.#receive(chunk));
    const fail = (error: Error) => {
      for (const { reject } of this.#pending.values()) reject(error);
      this.#pending.clear();
    };
    child.once('error', fail);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-2_000);
    });
    child.once('exit', (code, signal) =>
      fail(new Error(`Chromium exited (${signal ?? code}): ${this.#stderr.trim() || 'it printed nothing'}`)),
    );
  }

  static launch(): CdpChromium {
    requireChromium();
    const profile = mkdtempSync(join(tmpdir(), 'figment-bench-profile-'));
    const child = spawn(
      chromiumPath,
      [...chromiumArgs, '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'],
      // The DevTools pipe is fds 3 (commands in) and 4 (replies out), NUL-separated JSON.
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
    );
    return new CdpChromium(child, profile);
  }

  /** Sends one DevTools command (to a page's session when `sessionId` is given) and returns its result. */
  send<T = Record<string, unknown>>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = ++this.#nextId;
    const input = this.child.stdio[3] as Writable;
    input.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /**
   * Opens a tab at `url`, attached to that tab alone; `beforeLoad` runs in the page before any
   * of its own scripts. Tabs share the browser's one profile, as on a kiosk (a fresh browser
   * context per tab would also mean a fresh network stack and storage each time).
   */
  async openPage(url: string, { beforeLoad }: { beforeLoad?: string } = {}): Promise<CdpPage> {
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId,
      flatten: true,
    });
    const page = new CdpPage(this, sessionId, () => this.send('Target.closeTarget', { targetId }));
    await page.send('Emulation.setDeviceMetricsOverride', {
      width: 1280,
      height: 800,
      deviceScaleFactor: 1,
      mobile: false,
    });
    if (beforeLoad) {
      // Scripts for new documents need the Page domain; it is only turned on in this tab.
      await page.send('Page.enable');
      await page.send('Page.addScriptToEvaluateOnNewDocument', { source: beforeLoad });
    }
    await page.send('Page.navigate', { url });
    return page;
  }

  /** Attaches to an out-of-process frame whose URL matches, once it is needed (and not before). */
  async attachToFrame(urlPattern: RegExp): Promise<CdpPage> {
    const { targetInfos } = await this.send<{
      targetInfos: Array<{ targetId: string; type: string; url: string }>;
    }>('Target.getTargets');
    const target = targetInfos.find((info) => info.type === 'iframe' && urlPattern.test(info.url));
    if (!target) {
      throw new Error(
        `no frame at ${urlPattern}; targets: ${targetInfos.map((info) => info.url).join(', ')}`,
      );
    }
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId: target.targetId,
      flatten: true,
    });
    return new CdpPage(this, sessionId);
  }

  /** Shuts Chromium down the orderly way (its helper processes with it) and removes its profile. */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      await this.send('Browser.close').catch(() => this.child.kill());
      await exited;
    }
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    let end = this.#buffer.indexOf('\0');
    while (end >= 0) {
      const message = JSON.parse(this.#buffer.slice(0, end)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      this.#buffer = this.#buffer.slice(end + 1);
      end = this.#buffer.indexOf('\0');
      const waiting = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (!waiting || message.id === undefined) continue;
      this.#pending.delete(message.id);
      if (message.error) waiting.reject(new Error(`DevTools ${waiting.method}: ${message.error.message}`));
      else waiting.resolve(message.result);
    }
  }
}

/** One attached page or frame: commands and script evaluation in it. */
export class CdpPage {
  constructor(
    private readonly chromium: CdpChromium,
    readonly sessionId: string,
    private readonly dispose?: () => Promise<unknown>,
  ) {}

  /** Closes the tab; a frame's session ends with its page. */
  async close(): Promise<void> {
    await this.dispose?.();
  }

  send<T = Record<string, unknown>>(method: string, params: object = {}): Promise<T> {
    return this.chromium.send<T>(method, params, this.sessionId);
  }

  /** The value of `expression` (awaited if it is a promise); a thrown error is thrown here. */
  async evaluate<T = unknown>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send<{
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) {
      throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    }
    return result.value as T;
  }

  /** Polls until `expression` is truthy, without instrumenting the page. */
  async waitFor(expression: string, what: string, limitMs = 20_000): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (!(await this.evaluate(`Boolean(${expression})`))) {
      if (Date.now() > deadline) throw new Error(`${what}: nothing within ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** A real mouse click (press and release) at a point of the viewport. */
  async click(x: number, y: number): Promise<void> {
    for (const type of ['mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 1 });
    }
  }
}
