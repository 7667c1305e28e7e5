/**
 * The Electron main process entry. Thin on purpose: the rules live in
 * security.ts, ipc.ts and window.ts, where tests reach them.
 *
 * Flags: `--windowed` (dev) opens a normal window with DevTools instead of kiosk.
 * Env: FIGMENT_RUNTIME_DIR overrides where figmentd's api.json is read.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, protocol, session } from 'electron';
import { type ConnectionInfo, defaultRuntimeDir } from '../../services/figmentd/config/paths.js';
import { Logger } from '../../services/figmentd/log/Logger.js';
import { isolationSwitches } from '../shared/isolationSwitches.js';
import { BrokerGrants } from './BrokerGrants.js';
import { registerIpc } from './ipc.js';
import { OriginPolicy, redactUrl, secureAllWebContents, secureSession } from './security.js';
import {
  SHELL_ORIGIN,
  SHELL_PAGE_URL,
  SHELL_SCHEME,
  shellProtocolHandler,
  shellScheme,
} from './shellProtocol.js';
import { BOOT_PAGE_URL, createShellWindow, protocolShellUrl, waitForConnection } from './window.js';

// JSON lines on stderr, like figmentd's (journald keeps both).
const logger = new Logger(process.env.FIGMENT_LOG_LEVEL === 'debug' ? 'debug' : 'info', 'shell');
const windowed = process.argv.includes('--windowed');

// ESM entry: everything that must precede `ready` runs before the first await, and `ready`
// is never awaited at top level (Electron would hang).
if (!app.requestSingleInstanceLock()) {
  logger.warn('another shell is already running; quitting');
  app.quit();
} else {
  app.enableSandbox();
  for (const [name, value] of isolationSwitches) app.commandLine.appendSwitch(name, value);
  // The shell page's own scheme must be known before ready (standard + secure, never bypassCSP).
  protocol.registerSchemesAsPrivileged([shellScheme]);
  const policy = new OriginPolicy(BOOT_PAGE_URL, SHELL_ORIGIN);
  secureAllWebContents(app, policy, logger);
  app
    .whenReady()
    .then(() => start(policy))
    .catch(fail);
}

/** The broker's grants, from FIGMENT_BUS ('system' in the image; the session bus by default). Without it, no media. */
async function connectBroker(): Promise<BrokerGrants | undefined> {
  const choice = process.env.FIGMENT_BUS ?? 'session';
  if (choice === 'off') return undefined;
  const bus = choice === 'system' || choice === 'session' ? choice : { address: choice };
  try {
    return await BrokerGrants.connect({ bus, logger });
  } catch (error) {
    logger.warn('the sensor broker is unreachable; camera and microphone stay off', { error: String(error) });
    return undefined;
  }
}

async function start(policy: OriginPolicy): Promise<void> {
  // No menu: its accelerators would let anyone reload, zoom, close or open DevTools.
  Menu.setApplicationMenu(null);
  const brokerGrants = await connectBroker();
  secureSession(session.defaultSession, policy, {
    logger,
    ...(brokerGrants ? { grant: brokerGrants.grant } : {}),
  });

  const here = dirname(fileURLToPath(import.meta.url));
  // figment://shell/ serves dist/shell/ui and nothing else; its CSP names figmentd once known.
  let current: ConnectionInfo | undefined;
  protocol.handle(
    SHELL_SCHEME,
    shellProtocolHandler({
      root: join(here, '..', 'ui'),
      daemonOrigin: () => (current ? new URL(current.url).origin : null),
      logger,
    }),
  );
  const preloadPath = join(here, '..', 'preload', 'preload.cjs');
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
  // Load the shell, and load it again whenever figmentd restarts with a new token or port.
  let loaded: ConnectionInfo | undefined;
  while (!win.isDestroyed()) {
    const info = await waitForConnection(runtimeDir, { logger, unlike: loaded, intervalMs: 1000 });
    policy.setShellUrl(info.url);
    current = info;
    try {
      await win.loadURL(protocolShellUrl(SHELL_PAGE_URL, info));
      loaded = info;
      logger.info('shell loaded', { url: redactUrl(info.url) });
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
