/**
 * The Electron main process entry. Thin on purpose: the rules live in
 * security.ts, ipc.ts and window.ts, where tests reach them.
 *
 * Flags: `--windowed` (dev) opens a normal window with DevTools instead of kiosk.
 * Env: FIGMENT_RUNTIME_DIR overrides where figmentd's api.json is read.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, session } from 'electron';
import { defaultRuntimeDir } from '../../services/figmentd/config/paths.js';
import { registerIpc } from './ipc.js';
import {
  type LogFields,
  OriginPolicy,
  redactUrl,
  type ShellLogger,
  secureAllWebContents,
  secureSession,
} from './security.js';
import { BOOT_PAGE_URL, createShellWindow, shellUrl, waitForConnection } from './window.js';

const logger = jsonLogger('shell');
const windowed = process.argv.includes('--windowed');

// ESM entry: everything that must precede `ready` runs before the first await, and `ready`
// is never awaited at top level (Electron would hang).
if (!app.requestSingleInstanceLock()) {
  logger.warn('another shell is already running; quitting');
  app.quit();
} else {
  app.enableSandbox();
  const policy = new OriginPolicy(BOOT_PAGE_URL);
  secureAllWebContents(app, policy, logger);
  app
    .whenReady()
    .then(() => start(policy))
    .catch(fail);
}

async function start(policy: OriginPolicy): Promise<void> {
  // No menu: its accelerators would let anyone reload, zoom, close or open DevTools.
  Menu.setApplicationMenu(null);
  secureSession(session.defaultSession, policy, { logger });

  const preloadPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'preload', 'preload.cjs');
  const win = createShellWindow(BrowserWindow, { preloadPath, windowed, logger });
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());

  registerIpc(
    ipcMain,
    {
      'figment:host:info': () => ({
        kind: 'electron',
        version: process.versions.electron ?? '',
        kiosk: win.isKiosk(),
      }),
      'figment:host:quit': () => {
        logger.info('quit requested over IPC');
        app.quit();
        return undefined;
      },
    },
    { policy, shellContents: () => (win.isDestroyed() ? null : win.webContents), logger },
  );

  await win.loadURL(BOOT_PAGE_URL);
  const runtimeDir = defaultRuntimeDir();
  // Retry until the shell loads: the daemon may still be starting, or restart under us.
  while (!win.isDestroyed()) {
    const info = await waitForConnection(runtimeDir, { logger });
    policy.setShellUrl(info.url);
    try {
      await win.loadURL(shellUrl(info));
      logger.info('shell loaded', { url: redactUrl(info.url) });
      return;
    } catch (error) {
      logger.warn('could not load the shell; retrying', { url: redactUrl(info.url), error });
      await win.loadURL(BOOT_PAGE_URL).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function fail(error: unknown): void {
  logger.error('the shell failed to start', { error });
  app.exit(1);
}

/** One JSON object per line on stderr, like figmentd's logs (journald keeps both). */
function jsonLogger(module: string): ShellLogger {
  const write = (level: string, msg: string, fields: LogFields = {}) => {
    const entry = { time: new Date().toISOString(), level, module, msg, ...fields };
    process.stderr.write(
      `${JSON.stringify(entry, (_key, value) =>
        value instanceof Error
          ? {
              name: value.name,
              message: value.message,
              code: (value as { code?: unknown }).code,
              stack: value.stack,
            }
          : value,
      )}\n`,
    );
  };
  return {
    debug: (msg, fields) => {
      if (process.env.FIGMENT_LOG_LEVEL === 'debug') write('debug', msg, fields);
    },
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}
