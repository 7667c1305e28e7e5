/**
 * The shell window and what it loads: the boot page while figmentd starts,
 * then the shell UI from the daemon's connection file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  BrowserWindow,
  BrowserWindowConstructorOptions,
  Input,
  RenderProcessGoneDetails,
} from 'electron';
import { z } from 'zod';
import { CONNECTION_FILE, type ConnectionInfo } from '../../services/figmentd/config/paths.js';
import type { ShellEventChannel } from './ipc.js';
import type { ShellLogger } from './security.js';

/** The colour behind the shell before its first paint (matches the boot page). */
export const SHELL_BACKGROUND = '#101418';

export interface ShellWindowOptions {
  /** Absolute path of the bundled preload (dist/shell/preload/preload.cjs). */
  preloadPath: string;
  /** Dev mode (`--windowed`): a normal window with DevTools instead of kiosk. Defaults to false. */
  windowed?: boolean;
  /** Defaults to {@link SHELL_BACKGROUND}. */
  backgroundColor?: string;
  logger: ShellLogger;
  /** A hung renderer is crashed (then reloaded) after this long. Defaults to 15 s. */
  unresponsiveMs?: number;
}

/** The web preferences of the shell window, every security-relevant one stated. */
export function shellWebPreferences(preloadPath: string, windowed: boolean) {
  return {
    preload: preloadPath,
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
    // DevTools would hand a kiosk user the shell's token; only the dev flag opens them.
    devTools: windowed,
  } as const satisfies BrowserWindowConstructorOptions['webPreferences'];
}

/**
 * Creates the shell window: kiosk and full screen (unless windowed), hidden
 * until its first paint, and reloaded whenever its renderer dies or hangs.
 */
export function createShellWindow(Window: typeof BrowserWindow, options: ShellWindowOptions): BrowserWindow {
  const windowed = options.windowed ?? false;
  const { logger } = options;
  const win = new Window({
    title: 'Figment',
    show: false,
    kiosk: !windowed,
    fullscreen: !windowed,
    ...(windowed ? { width: 1280, height: 800 } : {}),
    autoHideMenuBar: true,
    backgroundColor: options.backgroundColor ?? SHELL_BACKGROUND,
    webPreferences: shellWebPreferences(options.preloadPath, windowed),
  });

  win.once('ready-to-show', () => win.show());

  // Keys typed in an app's frame never reach the shell page's listeners; the app switch keys are
  // taken here, before any page sees them, so they work wherever focus is.
  win.webContents.on('before-input-event', (event, input) => {
    const slot = appSwitchSlot(input);
    if (slot === undefined) return;
    event.preventDefault();
    const channel: ShellEventChannel = 'figment:shell:switch-app';
    win.webContents.send(channel, slot);
  });

  const recovery = crashRecovery(() => {
    if (win.isDestroyed() || win.webContents.isDestroyed()) return;
    logger.info('reloading the shell');
    win.webContents.reload();
  });

  win.webContents.on('render-process-gone', (_event, details: RenderProcessGoneDetails) => {
    logger.error('the shell renderer is gone', { reason: details.reason, exitCode: details.exitCode });
    recovery.schedule();
  });

  // A hung renderer never comes back by itself: crash it, and the handler above reloads.
  let hung: NodeJS.Timeout | undefined;
  win.on('unresponsive', () => {
    logger.warn('the shell renderer is not responding');
    clearTimeout(hung);
    hung = setTimeout(() => {
      if (win.isDestroyed() || win.webContents.isDestroyed()) return;
      logger.error('the shell renderer stayed hung; restarting it');
      win.webContents.forcefullyCrashRenderer();
    }, options.unresponsiveMs ?? 15_000);
  });
  win.on('responsive', () => clearTimeout(hung));
  win.on('closed', () => {
    clearTimeout(hung);
    recovery.cancel();
  });

  return win;
}

/** The app slot Alt+0…9 asks for (0 is the launcher), or undefined for any other input. */
export function appSwitchSlot(
  input: Pick<Input, 'type' | 'code' | 'alt' | 'control' | 'meta' | 'shift'>,
): number | undefined {
  if (input.type !== 'keyDown' || !input.alt || input.control || input.meta || input.shift) return undefined;
  const digit = /^Digit([0-9])$/.exec(input.code);
  return digit ? Number(digit[1]) : undefined;
}

/**
 * Reloads at once after a first crash and backs off (1 s, 2 s, … 30 s) while
 * crashes follow each other within a minute, so a crash loop cannot spin.
 */
function crashRecovery(reload: () => void) {
  let streak = 0;
  let lastCrash = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    schedule(): void {
      const now = Date.now();
      streak = now - lastCrash < 60_000 ? streak + 1 : 0;
      lastCrash = now;
      const delay = streak === 0 ? 0 : Math.min(30_000, 1000 * 2 ** (streak - 1));
      clearTimeout(timer);
      timer = setTimeout(reload, delay);
    },
    cancel(): void {
      clearTimeout(timer);
    },
  };
}

const BOOT_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Figment</title>
<style>
html { height: 100%; background: ${SHELL_BACKGROUND}; color: #e6e8eb; font: 1.5rem/1.4 system-ui, sans-serif; }
body { height: 100%; margin: 0; display: grid; place-items: center; }
</style>
</head>
<body><p role="status">Starting Figment…</p></body>
</html>`;

/**
 * The plain page shown while figmentd starts. Base64 keeps the URL byte-exact
 * after Chromium canonicalises it, since the guards allow exactly this URL.
 */
export const BOOT_PAGE_URL = `data:text/html;charset=utf-8;base64,${Buffer.from(BOOT_PAGE_HTML).toString('base64')}`;

/**
 * The shell page's URL in Electron: figment://shell/index.html with figmentd's
 * token and socket address in the fragment (never sent anywhere; the page
 * moves them to its sessionStorage and clears the address at once).
 */
export function protocolShellUrl(pageUrl: string, info: Pick<ConnectionInfo, 'url' | 'token'>): string {
  const daemon = new URL(info.url);
  const api = `${daemon.protocol === 'https:' ? 'wss:' : 'ws:'}//${daemon.host}/api`;
  const url = new URL(pageUrl);
  url.hash = new URLSearchParams({ token: info.token, api }).toString();
  return url.href;
}

/** The shell UI's URL: `${url}/#token=…`; a fragment is never sent over HTTP. */
export function shellUrl(info: Pick<ConnectionInfo, 'url' | 'token'>): string {
  const url = new URL(info.url.endsWith('/') ? info.url : `${info.url}/`);
  url.hash = `token=${encodeURIComponent(info.token)}`;
  return url.href;
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

function isLoopbackHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname);
}

/** The connection file as figmentd writes it; the shell only ever loads a loopback URL. */
export const ConnectionFile = z.object({
  pid: z.number().int().positive(),
  url: z.string().refine(isLoopbackHttpUrl, 'not a loopback http(s) URL'),
  token: z.string().min(1),
  socketPath: z.string().nullable(),
});

export type ConnectionResult = { ok: true; info: ConnectionInfo } | { ok: false; reason: string };

/** Whether a process exists; EPERM means it does, under another user (figmentd runs as its own). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads api.json once: missing, half-written or left by a dead daemon all count as "not yet". */
export async function readConnectionInfo(
  runtimeDir: string,
  isAlive: (pid: number) => boolean = processExists,
): Promise<ConnectionResult> {
  const path = join(runtimeDir, CONNECTION_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: code === 'ENOENT' ? `${path} does not exist yet` : `cannot read ${path}: ${code}`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${path} is not JSON (yet)` };
  }
  const parsed = ConnectionFile.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `${path} is invalid: ${z.prettifyError(parsed.error)}` };
  if (!isAlive(parsed.data.pid))
    return { ok: false, reason: `${path} names pid ${parsed.data.pid}, which is gone` };
  return { ok: true, info: parsed.data };
}

export interface WaitOptions {
  logger: ShellLogger;
  /** Defaults to 500 ms. */
  intervalMs?: number;
  signal?: AbortSignal;
  isAlive?: (pid: number) => boolean;
  /** Wait for a connection other than this one (figmentd restarted with a new token or port). */
  unlike?: Pick<ConnectionInfo, 'url' | 'token'>;
}

/** Waits until figmentd has written a usable api.json, however long it takes to start. */
export async function waitForConnection(runtimeDir: string, options: WaitOptions): Promise<ConnectionInfo> {
  let lastReason = '';
  for (;;) {
    options.signal?.throwIfAborted();
    const result = await readConnectionInfo(runtimeDir, options.isAlive);
    const { unlike } = options;
    if (result.ok && (!unlike || result.info.token !== unlike.token || result.info.url !== unlike.url)) {
      return result.info;
    }
    const reason = result.ok ? 'connected' : result.reason;
    if (reason !== lastReason && !result.ok) options.logger.info('waiting for figmentd', { reason });
    lastReason = reason;
    await sleep(options.intervalMs ?? 500, undefined, { signal: options.signal });
  }
}
