import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OriginPolicy } from '../../../shell/main/security.js';
import {
  type appSwitchSlot,
  BOOT_PAGE_URL,
  createShellWindow,
  readConnectionInfo,
  SHELL_BACKGROUND,
  shellUrl,
  waitForConnection,
} from '../../../shell/main/window.js';
import { FakeWebContents, memoryLogger } from './fakes.js';

/** A BrowserWindow that keeps its options and can be told what Electron would emit. */
class FakeBrowserWindow extends EventEmitter {
  static last: FakeBrowserWindow | undefined;
  webContents = new FakeWebContents();
  shown = false;
  destroyed = false;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.last = this;
  }
  show() {
    this.shown = true;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

function open(options: { windowed?: boolean } = {}) {
  const logger = memoryLogger();
  createShellWindow(FakeBrowserWindow as unknown as typeof BrowserWindow, {
    preloadPath: '/opt/figment/dist/shell/preload/preload.cjs',
    logger,
    ...options,
  });
  const win = FakeBrowserWindow.last;
  if (!win) throw new Error('no window was created');
  return { win, logger };
}

describe('createShellWindow', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('states every web preference explicitly', () => {
    const { win } = open();
    expect(win.options.webPreferences).toEqual({
      preload: '/opt/figment/dist/shell/preload/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: false,
    });
  });

  it('opens in kiosk, full screen, hidden until its first paint', () => {
    const { win } = open();
    expect(win.options).toMatchObject({
      kiosk: true,
      fullscreen: true,
      show: false,
      backgroundColor: SHELL_BACKGROUND,
    });
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('opens a normal window with DevTools when windowed', () => {
    const { win } = open({ windowed: true });
    expect(win.options).toMatchObject({ kiosk: false, fullscreen: false, width: 1280, height: 800 });
    expect(win.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      devTools: true,
    });
  });

  it('takes Alt+0…9 before any page (an app frame included) sees it, and tells the shell page', () => {
    const { win } = open();
    const press = (input: Partial<Parameters<typeof appSwitchSlot>[0]>) => {
      const event = { preventDefault: vi.fn() };
      const key = { type: 'keyDown', code: 'Digit3', alt: true, control: false, meta: false, shift: false };
      win.webContents.emit('before-input-event', event, { ...key, ...input });
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(press({})).toBe(true);
    expect(press({ code: 'Digit0' })).toBe(true);
    expect(win.webContents.send.mock.calls).toEqual([
      ['figment:shell:switch-app', 3],
      ['figment:shell:switch-app', 0],
    ]);
    // Everything else reaches the page untouched.
    for (const other of [
      { alt: false },
      { type: 'keyUp' },
      { control: true },
      { shift: true },
      { meta: true },
      { code: 'KeyA' },
      { code: 'Numpad3' },
    ]) {
      expect(press(other), JSON.stringify(other)).toBe(false);
    }
    expect(win.webContents.send).toHaveBeenCalledTimes(2);
  });

  it('reloads the shell when its renderer crashes, and logs it', () => {
    const { win, logger } = open();
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    vi.runAllTimers();
    expect(win.webContents.reload).toHaveBeenCalledOnce();
    expect(logger.entries).toContainEqual({
      level: 'error',
      msg: 'the shell renderer is gone',
      fields: { reason: 'crashed', exitCode: 139 },
    });
  });

  it('backs off while the renderer keeps crashing', () => {
    const { win } = open();
    const crash = () => win.webContents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 0 });
    crash();
    vi.advanceTimersByTime(0);
    expect(win.webContents.reload).toHaveBeenCalledTimes(1);
    crash();
    vi.advanceTimersByTime(999);
    expect(win.webContents.reload).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(win.webContents.reload).toHaveBeenCalledTimes(2);
    crash();
    vi.advanceTimersByTime(1999);
    expect(win.webContents.reload).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1);
    expect(win.webContents.reload).toHaveBeenCalledTimes(3);
  });

  it('does not reload a window that is gone', () => {
    const { win } = open();
    win.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    win.destroyed = true;
    win.emit('closed');
    vi.runAllTimers();
    expect(win.webContents.reload).not.toHaveBeenCalled();
  });

  it('restarts a renderer that stays hung', () => {
    const { win } = open();
    win.emit('unresponsive');
    vi.advanceTimersByTime(14_999);
    expect(win.webContents.forcefullyCrashRenderer).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(win.webContents.forcefullyCrashRenderer).toHaveBeenCalledOnce();
  });

  it('leaves a renderer that recovers', () => {
    const { win } = open();
    win.emit('unresponsive');
    vi.advanceTimersByTime(5_000);
    win.emit('responsive');
    vi.runAllTimers();
    expect(win.webContents.forcefullyCrashRenderer).not.toHaveBeenCalled();
  });
});

describe('the boot page', () => {
  it('is a plain page that says Figment is starting', () => {
    expect(BOOT_PAGE_URL.startsWith('data:text/html;charset=utf-8;base64,')).toBe(true);
    const html = Buffer.from(BOOT_PAGE_URL.split(',')[1] ?? '', 'base64').toString('utf8');
    expect(html).toContain('Starting Figment…');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toContain('<script');
  });

  it('is the one data: URL the guards allow', () => {
    const policy = new OriginPolicy(BOOT_PAGE_URL);
    expect(policy.allowsNavigation(BOOT_PAGE_URL, true)).toBe(true);
    // Canonicalisation by Chromium must not change it: base64 has nothing to escape.
    expect(new URL(BOOT_PAGE_URL).href).toBe(BOOT_PAGE_URL);
  });
});

describe('shellUrl', () => {
  it('puts the token in the fragment of the daemon root', () => {
    expect(shellUrl({ url: 'http://127.0.0.1:7878', token: 'abc' })).toBe('http://127.0.0.1:7878/#token=abc');
    expect(shellUrl({ url: 'http://127.0.0.1:7878/', token: 'a+b/c=' })).toBe(
      'http://127.0.0.1:7878/#token=a%2Bb%2Fc%3D',
    );
  });
});

describe('the connection file', () => {
  let dir: string;
  const good = { pid: 4242, url: 'http://127.0.0.1:7878', token: 'tok', socketPath: null };
  const alive = () => true;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'figment-shell-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (value: unknown) =>
    writeFileSync(join(dir, 'api.json'), typeof value === 'string' ? value : JSON.stringify(value));

  it('reads a good file', async () => {
    write(good);
    await expect(readConnectionInfo(dir, alive)).resolves.toEqual({ ok: true, info: good });
  });

  it('says "not yet" for a missing, half-written or stale file', async () => {
    await expect(readConnectionInfo(dir, alive)).resolves.toMatchObject({
      ok: false,
      reason: /does not exist/,
    });
    write('{"pid": 42');
    await expect(readConnectionInfo(dir, alive)).resolves.toMatchObject({ ok: false, reason: /not JSON/ });
    write(good);
    await expect(readConnectionInfo(dir, () => false)).resolves.toMatchObject({ ok: false, reason: /gone/ });
  });

  it('refuses a URL that is not loopback http', async () => {
    for (const url of [
      'http://example.com:7878',
      'file:///tmp/x',
      'http://10.0.0.2:7878',
      'javascript:alert(1)',
    ]) {
      write({ ...good, url });
      await expect(readConnectionInfo(dir, alive)).resolves.toMatchObject({ ok: false, reason: /loopback/ });
    }
    write({ ...good, url: 'http://[::1]:7878' });
    await expect(readConnectionInfo(dir, alive)).resolves.toMatchObject({ ok: true });
  });

  it('waits until figmentd writes it', async () => {
    const logger = memoryLogger();
    const waiting = waitForConnection(dir, { logger, intervalMs: 10, isAlive: alive });
    await new Promise((resolve) => setTimeout(resolve, 50));
    write(good);
    await expect(waiting).resolves.toEqual(good);
    expect(logger.entries.filter((e) => e.msg === 'waiting for figmentd')).toHaveLength(1);
  });

  it('waits past the current connection for the one a restarted figmentd writes', async () => {
    write(good);
    const waiting = waitForConnection(dir, {
      logger: memoryLogger(),
      intervalMs: 10,
      isAlive: alive,
      unlike: good,
    });
    let settled = false;
    void waiting.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    const restarted = { ...good, token: 'a-new-token' };
    write(restarted);
    await expect(waiting).resolves.toEqual(restarted);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const waiting = waitForConnection(dir, {
      logger: memoryLogger(),
      intervalMs: 10,
      signal: controller.signal,
    });
    controller.abort();
    await expect(waiting).rejects.toThrow();
  });
});
