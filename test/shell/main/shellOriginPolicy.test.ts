/**
 * The security region when the shell page comes from figment://shell
 * (Electron) and figmentd's loopback origin serves only app frames and the
 * API socket.
 */
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { checkSender } from '../../../shell/main/ipc.js';
import { decidePermission, OriginPolicy, secureWebContents } from '../../../shell/main/security.js';
import { SHELL_HOST, SHELL_ORIGIN, SHELL_PAGE_URL, SHELL_SCHEME } from '../../../shell/main/shellProtocol.js';
import { BOOT_PAGE_URL } from '../../../shell/main/window.js';
import { electronEvent, FakeWebContents, fakeFrame, memoryLogger } from './fakes.js';

const DAEMON = 'http://127.0.0.1:7878';
const APP_FRAME = `${DAEMON}/frame/ver_abcdef123?cap=secret-cap`;

function policy(): OriginPolicy {
  const p = new OriginPolicy(BOOT_PAGE_URL, SHELL_ORIGIN);
  p.setShellUrl(DAEMON);
  return p;
}

describe('OriginPolicy with the shell page on figment://shell', () => {
  it('names the same origin as the protocol serves', () => {
    expect(`${SHELL_SCHEME}://${SHELL_HOST}`).toBe(SHELL_ORIGIN);
    expect(SHELL_PAGE_URL).toBe('figment://shell/index.html');
  });

  it('keeps the main frame on figment://shell (or the boot page), never on figmentd or elsewhere', () => {
    const p = policy();
    expect(p.allowsNavigation(`${SHELL_PAGE_URL}#token=x`, true)).toBe(true);
    expect(p.allowsNavigation(BOOT_PAGE_URL, true)).toBe(true);
    expect(p.allowsNavigation(`${DAEMON}/`, true)).toBe(false);
    expect(p.allowsNavigation('figment://other/index.html', true)).toBe(false);
    expect(p.allowsNavigation('https://example.com/', true)).toBe(false);
    expect(p.allowsNavigation('file:///etc/passwd', true)).toBe(false);
  });

  it('allows nothing before figmentd’s address is known, except the boot page', () => {
    const p = new OriginPolicy(BOOT_PAGE_URL, SHELL_ORIGIN);
    expect(p.allowsNavigation(SHELL_PAGE_URL, true)).toBe(false);
    expect(p.isShellOrigin(SHELL_ORIGIN)).toBe(false);
    expect(p.allowsNavigation(BOOT_PAGE_URL, true)).toBe(true);
  });

  it('lets app frames load only figmentd’s /frame/, never the shell’s own files', () => {
    const p = policy();
    expect(p.allowsNavigation(APP_FRAME, false)).toBe(true);
    expect(p.allowsNavigation(`${SHELL_ORIGIN}/index.html`, false)).toBe(false);
    expect(
      p.allowsRequest({ url: `${SHELL_ORIGIN}/shell.js`, resourceType: 'script', fromAppFrame: true }),
    ).toBe(false);
  });

  it('lets the shell page load its files and open figmentd’s socket, and nothing else', () => {
    const p = policy();
    const fromShell = (url: string, resourceType = 'script') =>
      p.allowsRequest({ url, resourceType: resourceType as 'script', fromAppFrame: false });
    expect(fromShell(`${SHELL_ORIGIN}/shell.js`)).toBe(true);
    expect(fromShell(`${SHELL_ORIGIN}/shell.css`, 'stylesheet')).toBe(true);
    expect(fromShell('ws://127.0.0.1:7878/api', 'webSocket')).toBe(true);
    expect(fromShell('ws://127.0.0.1:9999/api', 'webSocket')).toBe(false);
    expect(fromShell('https://example.com/x.js')).toBe(false);
    expect(fromShell('figment://other/x.js')).toBe(false);
  });

  it('takes IPC only from the figment://shell main frame', () => {
    const p = policy();
    const shell = new FakeWebContents(fakeFrame(SHELL_PAGE_URL, null, SHELL_ORIGIN));
    const options = { policy: p, shellContents: () => shell as unknown as WebContents };
    const event = (frame = shell.mainFrame) =>
      ({ sender: shell, senderFrame: frame }) as unknown as IpcMainInvokeEvent;
    expect(checkSender(event(), options)).toBeNull();
    const onDaemon = new FakeWebContents(fakeFrame(`${DAEMON}/`));
    expect(
      checkSender({ sender: onDaemon, senderFrame: onDaemon.mainFrame } as unknown as IpcMainInvokeEvent, {
        policy: p,
        shellContents: () => onDaemon as unknown as WebContents,
      }),
    ).toBe('not the shell origin');
    expect(checkSender(event(fakeFrame(APP_FRAME, shell.mainFrame, 'null')), options)).toBe(
      'not the main frame',
    );
  });

  it('asks the grant hook for media only from the shell page or an app frame', () => {
    const p = policy();
    const ask = (requestingUrl: string, isMainFrame: boolean) =>
      decidePermission(
        p,
        { permission: 'media', kind: 'request', requestingUrl, isMainFrame, mediaTypes: ['video'] },
        new Set(['media']),
        () => true,
      );
    expect(ask(SHELL_PAGE_URL, true)).toBe(true);
    expect(ask(APP_FRAME, false)).toBe(true);
    expect(ask(`${DAEMON}/`, true)).toBe(false);
    expect(ask(BOOT_PAGE_URL, true)).toBe(false);
    expect(
      decidePermission(
        p,
        {
          permission: 'geolocation',
          kind: 'check',
          requestingUrl: SHELL_PAGE_URL,
          isMainFrame: true,
          mediaTypes: [],
        },
        new Set(['media']),
        () => true,
      ),
    ).toBe(false);
  });

  it('guards navigation and refuses new windows in every webContents', () => {
    const contents = new FakeWebContents(fakeFrame(SHELL_PAGE_URL, null, SHELL_ORIGIN));
    const logger = memoryLogger();
    secureWebContents(contents as unknown as WebContents, policy(), logger);
    expect(contents.windowOpenHandler?.({ url: SHELL_PAGE_URL, disposition: 'new-window' })).toEqual({
      action: 'deny',
    });
    const away = electronEvent({ url: `${DAEMON}/`, isMainFrame: true });
    contents.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
    const home = electronEvent({ url: `${SHELL_PAGE_URL}#token=new`, isMainFrame: true });
    contents.emit('will-navigate', home);
    expect(home.defaultPrevented).toBe(false);
  });
});
