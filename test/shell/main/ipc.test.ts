import { readFileSync } from 'node:fs';
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, FigmentError } from '../../../services/protocol/errors.js';
import {
  type IpcHandlers,
  type IpcRegistration,
  ipcChannelNames,
  isKnownChannel,
  registerIpc,
  shellEvents,
} from '../../../shell/main/ipc.js';
import { OriginPolicy } from '../../../shell/main/security.js';
import { BOOT_PAGE_URL } from '../../../shell/main/window.js';
import { type FakeFrame, FakeWebContents, fakeFrame, memoryLogger } from './fakes.js';

const SHELL = 'http://127.0.0.1:7878';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

/** ipcMain's invoke side: a handler per channel, and what Electron does with none. */
class FakeIpcMain {
  handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener) {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, event: IpcMainInvokeEvent, ...args: unknown[]): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener(event, ...args);
  }
}

function invokeEvent(sender: FakeWebContents, senderFrame: FakeFrame | null): IpcMainInvokeEvent {
  return { sender, senderFrame, frameId: 1, processId: 7, type: 'frame' } as unknown as IpcMainInvokeEvent;
}

async function refusal(promise: Promise<unknown>): Promise<FigmentError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FigmentError);
  return error as FigmentError;
}

describe('registerIpc', () => {
  let ipcMain: FakeIpcMain;
  let shell: FakeWebContents;
  let logger: ReturnType<typeof memoryLogger>;
  let handlers: IpcHandlers;
  let registration: IpcRegistration;

  beforeEach(() => {
    ipcMain = new FakeIpcMain();
    shell = new FakeWebContents(fakeFrame(`${SHELL}/#token=t`));
    logger = memoryLogger();
    const policy = new OriginPolicy(BOOT_PAGE_URL);
    policy.setShellUrl(SHELL);
    handlers = {
      'figment:host:info': vi.fn(() => ({ kind: 'electron' as const, version: '45.4.1', kiosk: true })),
      'figment:host:quit': vi.fn(() => undefined),
    };
    registration = registerIpc(ipcMain as unknown as IpcMain, handlers, {
      policy,
      shellContents: () => shell as unknown as WebContents,
      logger,
    });
  });

  const fromShell = () => invokeEvent(shell, shell.mainFrame);

  it('registers exactly the known channels, all named figment:<domain>:<action>', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(['figment:host:info', 'figment:host:quit']);
    for (const channel of ipcChannelNames) expect(channel).toMatch(/^figment:[a-z]+:[a-z][A-Za-z]*$/);
  });

  it('answers a good call', async () => {
    await expect(ipcMain.invoke('figment:host:info', fromShell())).resolves.toEqual({
      kind: 'electron',
      version: '45.4.1',
      kiosk: true,
    });
    expect(handlers['figment:host:info']).toHaveBeenCalledOnce();
    expect(logger.entries).toHaveLength(0);
  });

  it('refuses an unknown channel', async () => {
    const error = await refusal(registration.dispatch('figment:host:shell', fromShell(), []));
    expect(error.code).toBe(ErrorCode.UnknownMethod);
    expect(logger.entries).toContainEqual({
      level: 'warn',
      msg: 'refused an IPC call',
      fields: { channel: 'figment:host:shell', code: ErrorCode.UnknownMethod, reason: 'unknown channel' },
    });
    // Nor does ipcMain know it: Electron itself refuses what was never registered.
    await expect(ipcMain.invoke('figment:host:shell', fromShell())).rejects.toThrow(/No handler/);
  });

  it('refuses a channel without the figment: prefix', async () => {
    const error = await refusal(registration.dispatch('host:info', fromShell(), []));
    expect(error.code).toBe(ErrorCode.UnknownMethod);
    expect(logger.entries.at(-1)?.fields.reason).toBe('not a figment channel');
  });

  it('does not take inherited names for channels', () => {
    expect(isKnownChannel('toString')).toBe(false);
    expect(isKnownChannel('__proto__')).toBe(false);
  });

  it('refuses a sender that is a subframe', async () => {
    const subframe = fakeFrame(`${SHELL}/frame/ver_abcdef123?cap=x`, shell.mainFrame, SHELL);
    const error = await refusal(ipcMain.invoke('figment:host:info', invokeEvent(shell, subframe)));
    expect(error.code).toBe(ErrorCode.Unauthorized);
    expect(logger.entries.at(-1)?.fields.reason).toBe('not the main frame');
    expect(handlers['figment:host:info']).not.toHaveBeenCalled();
  });

  it('refuses a sender from another origin', async () => {
    shell.mainFrame = fakeFrame('http://127.0.0.1:9999/');
    const error = await refusal(ipcMain.invoke('figment:host:info', fromShell()));
    expect(error.code).toBe(ErrorCode.Unauthorized);
    expect(logger.entries.at(-1)?.fields.reason).toBe('not the shell origin');
  });

  it('refuses the boot page (an opaque origin)', async () => {
    shell.mainFrame = fakeFrame(BOOT_PAGE_URL, null, 'null');
    const error = await refusal(ipcMain.invoke('figment:host:info', fromShell()));
    expect(error.code).toBe(ErrorCode.Unauthorized);
  });

  it('refuses a sender in another webContents', async () => {
    const other = new FakeWebContents(fakeFrame(`${SHELL}/`));
    const error = await refusal(ipcMain.invoke('figment:host:info', invokeEvent(other, other.mainFrame)));
    expect(error.code).toBe(ErrorCode.Unauthorized);
    expect(logger.entries.at(-1)?.fields.reason).toBe('not the shell window');
  });

  it('refuses a sender whose frame is gone or no longer the main frame', async () => {
    await expect(
      refusal(ipcMain.invoke('figment:host:info', invokeEvent(shell, null))),
    ).resolves.toMatchObject({
      code: ErrorCode.Unauthorized,
    });
    const outgoing = fakeFrame(`${SHELL}/`);
    await expect(
      refusal(ipcMain.invoke('figment:host:info', invokeEvent(shell, outgoing))),
    ).resolves.toMatchObject({
      code: ErrorCode.Unauthorized,
    });
    expect(logger.entries.at(-1)?.fields.reason).toBe('not the current main frame');
  });

  it('refuses everything before the shell origin is known', async () => {
    const ipc = new FakeIpcMain();
    registerIpc(ipc as unknown as IpcMain, handlers, {
      policy: new OriginPolicy(BOOT_PAGE_URL),
      shellContents: () => shell as unknown as WebContents,
      logger,
    });
    await expect(refusal(ipc.invoke('figment:host:info', fromShell()))).resolves.toMatchObject({
      code: ErrorCode.Unauthorized,
    });
  });

  it('refuses a bad payload', async () => {
    const error = await refusal(ipcMain.invoke('figment:host:info', fromShell(), { please: true }));
    expect(error.code).toBe(ErrorCode.BadMessage);
    const extra = await refusal(ipcMain.invoke('figment:host:quit', fromShell(), undefined, 'now'));
    expect(extra.code).toBe(ErrorCode.BadMessage);
    expect(handlers['figment:host:info']).not.toHaveBeenCalled();
    expect(handlers['figment:host:quit']).not.toHaveBeenCalled();
  });

  it('reports a failing handler as a coded error', async () => {
    handlers['figment:host:info'] = () => {
      throw new Error('boom');
    };
    const error = await refusal(ipcMain.invoke('figment:host:info', fromShell()));
    expect(error.code).toBe(ErrorCode.Internal);
    expect(logger.entries.at(-1)).toMatchObject({ level: 'error', msg: 'IPC handler failed' });
  });

  it('checks replies against their schema too', async () => {
    handlers['figment:host:info'] = () => ({ kind: 'electron', version: 45 }) as never;
    await expect(refusal(ipcMain.invoke('figment:host:info', fromShell()))).resolves.toMatchObject({
      code: ErrorCode.Internal,
    });
  });

  it('removes its handlers when disposed', () => {
    registration.dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('the preload', () => {
  const preloadSource = () =>
    readFileSync(new URL('../../../shell/preload/preload.ts', import.meta.url), 'utf8');

  it('invokes only channels the contract knows, and listens only to its shell events', () => {
    const source = preloadSource();
    const invoked = [...source.matchAll(/ipcRenderer\.invoke\('([^']*)'/g)].map((m) => m[1] ?? '');
    expect(invoked.length).toBeGreaterThan(0);
    for (const channel of invoked) expect(isKnownChannel(channel), channel).toBe(true);
    const heard = [...source.matchAll(/ipcRenderer\.on\('([^']*)'/g)].map((m) => m[1] ?? '');
    expect(heard).toEqual(Object.keys(shellEvents));
    const named = [...source.matchAll(/'(figment:[^']*)'/g)].map((m) => m[1]);
    expect(named.sort()).toEqual([...invoked, ...heard].sort());
  });

  it("passes the page only the payload of a shell event, checked, never Electron's event", () => {
    expect(preloadSource()).toMatch(
      /ipcRenderer\.on\('figment:shell:switch-app', \(_event, slot: unknown\) => \{\s*if \(typeof slot === 'number'\) listener\(slot\);/,
    );
    const slot = shellEvents['figment:shell:switch-app'];
    expect([0, 9].map((n) => slot.safeParse(n).success)).toEqual([true, true]);
    expect([10, -1, 1.5].map((n) => slot.safeParse(n).success)).toEqual([false, false, false]);
  });

  it('never exposes ipcRenderer itself', () => {
    const source = preloadSource();
    expect(source).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
    expect(source).not.toMatch(/ipcRenderer\.(send|sendSync|postMessage)\b/);
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports).toEqual(['electron']);
  });
});
