/**
 * The Electron entry (shell/main/main.ts) with Electron mocked at its API
 * boundary: what it registers before `ready`, what it serves, what it loads.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const order: string[] = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const handlers = new Map<string, (request: Request) => Promise<Response>>();
  const windows: { loaded: string[]; destroyed: boolean }[] = [];
  return { order, ready, markReady: () => markReady(), handlers, windows, schemes: [] as unknown[] };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const app = Object.assign(new Emitter(), {
    requestSingleInstanceLock: () => true,
    enableSandbox: () => electron.order.push('enableSandbox'),
    commandLine: { appendSwitch: () => {} },
    whenReady: () => electron.ready.then(() => electron.order.push('ready')),
    quit: () => {},
    exit: () => {},
  });
  class BrowserWindow extends Emitter {
    record = { loaded: [] as string[], destroyed: false };
    webContents = Object.assign(new Emitter(), {
      isDestroyed: () => false,
      reload: () => {},
      mainFrame: { frameToken: 'main', processId: 1 },
    });
    constructor() {
      super();
      electron.windows.push(this.record);
    }
    async loadURL(url: string) {
      this.record.loaded.push(url);
      // One shell load is enough for the test: then the window "closes" and the load loop ends.
      if (url.startsWith('figment:')) this.record.destroyed = true;
    }
    isDestroyed() {
      return this.record.destroyed;
    }
    isKiosk() {
      return true;
    }
  }
  const session = {
    defaultSession: Object.assign(new Emitter(), {
      setPermissionRequestHandler: () => electron.order.push('permissionRequestHandler'),
      setPermissionCheckHandler: () => electron.order.push('permissionCheckHandler'),
      setDevicePermissionHandler: () => {},
      webRequest: { onBeforeRequest: () => electron.order.push('onBeforeRequest') },
    }),
  };
  const protocol = {
    registerSchemesAsPrivileged: (schemes: unknown[]) => {
      electron.order.push('registerSchemesAsPrivileged');
      electron.schemes.push(...schemes);
    },
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
      electron.order.push(`handle:${scheme}`);
      electron.handlers.set(scheme, handler);
    },
  };
  return {
    app,
    BrowserWindow,
    ipcMain: { handle: () => {}, removeHandler: () => {} },
    Menu: { setApplicationMenu: () => electron.order.push('setApplicationMenu') },
    protocol,
    session,
  };
});

const runtimeDir = mkdtempSync(join(tmpdir(), 'figment-main-'));
const saved = { ...process.env };

beforeAll(() => {
  writeFileSync(
    join(runtimeDir, 'api.json'),
    JSON.stringify({ pid: process.pid, url: 'http://127.0.0.1:7878', token: 'tok-123', socketPath: null }),
  );
  process.env.FIGMENT_RUNTIME_DIR = runtimeDir;
  process.env.FIGMENT_BUS = 'off';
  process.env.FIGMENT_LOG_LEVEL = 'warn';
});

afterAll(() => {
  process.env = saved;
});

describe('the Electron main process', () => {
  it('registers figment:// as a standard, secure scheme before ready, and never as bypassing CSP', async () => {
    await import('../../../shell/main/main.js');
    expect(electron.order).toContain('registerSchemesAsPrivileged');
    expect(electron.order).not.toContain('ready');
    expect(electron.schemes).toEqual([
      {
        scheme: 'figment',
        privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
      },
    ]);
  });

  it('after ready: no menu, the protocol handler, the deny-by-default session, then the shell from figment://shell', async () => {
    electron.markReady();
    await vi.waitFor(() => expect(electron.windows[0]?.loaded.length).toBe(2), { timeout: 5000 });
    const order = electron.order;
    expect(order.indexOf('ready')).toBeGreaterThan(order.indexOf('registerSchemesAsPrivileged'));
    for (const step of [
      'setApplicationMenu',
      'handle:figment',
      'permissionRequestHandler',
      'permissionCheckHandler',
      'onBeforeRequest',
    ]) {
      expect(order.indexOf(step), step).toBeGreaterThan(order.indexOf('ready'));
    }
    const [boot, shell] = electron.windows[0]?.loaded ?? [];
    expect(boot).toMatch(/^data:text\/html/);
    const url = new URL(shell ?? '');
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('figment://shell/index.html');
    const fragment = new URLSearchParams(url.hash.slice(1));
    expect(fragment.get('token')).toBe('tok-123');
    expect(fragment.get('api')).toBe('ws://127.0.0.1:7878/api');
  });

  it('serves the shell page from the protocol with a CSP naming figmentd, and refuses other hosts and traversal', async () => {
    const handle = electron.handlers.get('figment');
    if (!handle) throw new Error('no figment: handler');
    const page = await handle(new Request('figment://shell/index.html'));
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'/);
    expect(csp).toContain('connect-src ws://127.0.0.1:7878');
    expect(csp).toContain('frame-src http://127.0.0.1:7878');
    expect((await handle(new Request('figment://evil/index.html'))).status).toBe(404);
    // The URL parser folds %2e%2e into `..` and drops it at the root: what is left is not a shell file.
    expect((await handle(new Request('figment://shell/%2e%2e/main/main.ts'))).status).toBe(404);
    expect((await handle(new Request('figment://shell/..%2fmain%2fmain.js'))).status).toBe(403);
  });
});
