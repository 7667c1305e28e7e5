import { EventEmitter } from 'node:events';
import type { App, Session, WebContents } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  OriginPolicy,
  PERMISSION_ALLOWLIST,
  type Permission,
  type PermissionGrant,
  redactUrl,
  secureAllWebContents,
  secureSession,
  secureWebContents,
} from '../../../shell/main/security.js';
import { BOOT_PAGE_URL } from '../../../shell/main/window.js';
import { electronEvent, FakeWebContents, fakeFrame, memoryLogger } from './fakes.js';

const SHELL = 'http://127.0.0.1:7878';
const APP_FRAME = `${SHELL}/frame/ver_abcdef123?cap=secret-cap`;

type RequestHandler = (
  contents: unknown,
  permission: string,
  callback: (ok: boolean) => void,
  details: object,
) => void;
type CheckHandler = (contents: unknown, permission: string, origin: string, details: object) => boolean;
type RequestListener = (details: object, callback: (response: { cancel?: boolean }) => void) => void;

/** A Session that keeps the handlers the security region installs. */
class FakeSession extends EventEmitter {
  requestHandler?: RequestHandler;
  checkHandler?: CheckHandler;
  deviceHandler?: (details: object) => boolean;
  beforeRequest?: { filter: { urls: string[] }; listener: RequestListener };
  webRequest = {
    onBeforeRequest: (filter: { urls: string[] }, listener: RequestListener) => {
      this.beforeRequest = { filter, listener };
    },
  };
  setPermissionRequestHandler(handler: RequestHandler) {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: CheckHandler) {
    this.checkHandler = handler;
  }
  setDevicePermissionHandler(handler: (details: object) => boolean) {
    this.deviceHandler = handler;
  }

  /** Asks the request handler as Chromium would and returns what it answered. */
  request(permission: string, details: object): Promise<boolean> {
    return new Promise((resolve) => this.requestHandler?.({}, permission, resolve, details));
  }

  check(permission: string, origin: string, details: object): boolean | undefined {
    return this.checkHandler?.({}, permission, origin, details);
  }

  /** Runs the request filter on one request and says whether it was cancelled. */
  send(details: { url: string; resourceType: string; frame?: unknown; initiatorOrigin?: string }): boolean {
    let cancelled: boolean | undefined;
    this.beforeRequest?.listener(
      { id: 1, method: 'GET', referrer: '', timestamp: 0, uploadData: [], ...details },
      (r) => {
        cancelled = r.cancel === true;
      },
    );
    if (cancelled === undefined) throw new Error('the filter never answered');
    return cancelled;
  }
}

function shellPolicy(): OriginPolicy {
  const policy = new OriginPolicy(BOOT_PAGE_URL);
  policy.setShellUrl(SHELL);
  return policy;
}

const refusedPermissions: Permission[] = [
  'media',
  'geolocation',
  'notifications',
  'clipboard-read',
  'clipboard-sanitized-write',
  'midi',
  'hid',
  'usb',
  'serial',
  'display-capture',
  'openExternal',
  'fullscreen',
  'pointerLock',
  'unknown',
];

describe('permissions', () => {
  let session: FakeSession;
  let logger: ReturnType<typeof memoryLogger>;

  beforeEach(() => {
    session = new FakeSession();
    logger = memoryLogger();
    secureSession(session as unknown as Session, shellPolicy(), { logger });
  });

  it('allowlists only media, which the broker then decides', () => {
    expect([...PERMISSION_ALLOWLIST]).toEqual(['media']);
  });

  it.each(refusedPermissions)(
    'refuses a request for %s from the shell and from an app frame',
    async (permission) => {
      expect(await session.request(permission, { isMainFrame: true, requestingUrl: `${SHELL}/` })).toBe(
        false,
      );
      expect(await session.request(permission, { isMainFrame: false, requestingUrl: APP_FRAME })).toBe(false);
      expect(logger.entries.filter((e) => e.msg === 'refused a permission request')).toHaveLength(2);
    },
  );

  it('refuses a frame that asks for the camera without a grant', async () => {
    const granted = await session.request('media', {
      isMainFrame: false,
      requestingUrl: APP_FRAME,
      mediaTypes: ['video'],
    });
    expect(granted).toBe(false);
    expect(logger.entries).toContainEqual({
      level: 'warn',
      msg: 'refused a permission request',
      fields: {
        permission: 'media',
        requestingUrl: `${SHELL}/frame/ver_abcdef123`,
        isMainFrame: false,
        mediaTypes: ['video'],
      },
    });
  });

  it.each(refusedPermissions)('answers a check for %s with false', (permission) => {
    expect(session.check(permission, SHELL, { isMainFrame: true, requestingUrl: `${SHELL}/` })).toBe(false);
    expect(session.check(permission, 'null', { isMainFrame: false, requestingUrl: APP_FRAME })).toBe(false);
    expect(logger.entries.filter((e) => e.msg === 'refused a permission check')).toHaveLength(2);
  });

  it('refuses remembered devices', () => {
    expect(session.deviceHandler?.({ deviceType: 'usb', origin: SHELL })).toBe(false);
    expect(logger.entries.at(-1)?.msg).toBe('refused a device permission');
  });

  it('logs the refusal without the frame capability', async () => {
    await session.request('geolocation', { isMainFrame: false, requestingUrl: APP_FRAME });
    expect(JSON.stringify(logger.entries)).not.toContain('secret-cap');
  });
});

describe('the grant hook', () => {
  const grantVersion: PermissionGrant = (query) =>
    query.permission === 'geolocation' && new URL(query.requestingUrl).pathname === '/frame/ver_granted1';

  function setUp(allowlist: ReadonlySet<Permission>) {
    const session = new FakeSession();
    const logger = memoryLogger();
    secureSession(session as unknown as Session, shellPolicy(), { logger, grant: grantVersion, allowlist });
    return session;
  }

  it('allows an allowlisted permission for the frame it was granted to', async () => {
    const session = setUp(new Set<Permission>(['geolocation']));
    const granted = `${SHELL}/frame/ver_granted1?cap=x`;
    expect(await session.request('geolocation', { isMainFrame: false, requestingUrl: granted })).toBe(true);
    expect(session.check('geolocation', 'null', { isMainFrame: false, requestingUrl: granted })).toBe(true);
    expect(await session.request('geolocation', { isMainFrame: false, requestingUrl: APP_FRAME })).toBe(
      false,
    );
  });

  it('refuses a grant for a permission off the allowlist', async () => {
    const session = setUp(new Set<Permission>());
    const granted = `${SHELL}/frame/ver_granted1`;
    expect(await session.request('geolocation', { isMainFrame: false, requestingUrl: granted })).toBe(false);
  });

  it('refuses a granted path on another origin', async () => {
    const session = setUp(new Set<Permission>(['geolocation']));
    const elsewhere = 'http://127.0.0.1:9999/frame/ver_granted1';
    expect(await session.request('geolocation', { isMainFrame: false, requestingUrl: elsewhere })).toBe(
      false,
    );
  });

  it('refuses when the hook throws', async () => {
    const session = new FakeSession();
    const grant: PermissionGrant = () => {
      throw new Error('broker down');
    };
    secureSession(session as unknown as Session, shellPolicy(), {
      logger: memoryLogger(),
      grant,
      allowlist: new Set<Permission>(['geolocation']),
    });
    const granted = `${SHELL}/frame/ver_granted1`;
    expect(await session.request('geolocation', { isMainFrame: false, requestingUrl: granted })).toBe(false);
  });
});

describe('windows and navigation', () => {
  let contents: FakeWebContents;
  let logger: ReturnType<typeof memoryLogger>;

  beforeEach(() => {
    contents = new FakeWebContents();
    logger = memoryLogger();
    secureWebContents(contents as unknown as WebContents, shellPolicy(), logger);
  });

  function navigate(event: string, url: string, isMainFrame = true): boolean {
    const e = electronEvent({ url, isMainFrame, isSameDocument: false, frame: null });
    contents.emit(event, e);
    return !e.defaultPrevented;
  }

  it('sends no unproxied WebRTC UDP from any contents', () => {
    expect(contents.webRTCIPHandlingPolicy).toBe('disable_non_proxied_udp');
  });

  it('denies window.open', () => {
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/', disposition: 'new-window' })).toEqual({
      action: 'deny',
    });
    expect(contents.windowOpenHandler?.({ url: `${SHELL}/`, disposition: 'foreground-tab' })).toEqual({
      action: 'deny',
    });
    expect(logger.entries.filter((e) => e.msg === 'refused to open a window')).toHaveLength(2);
  });

  it('prevents navigation of the main frame to another origin', () => {
    expect(navigate('will-navigate', 'https://example.com/')).toBe(false);
    expect(navigate('will-navigate', 'http://127.0.0.1:9999/')).toBe(false);
    expect(navigate('will-navigate', 'http://localhost:7878/')).toBe(false);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(false);
    expect(logger.entries.filter((e) => e.msg === 'refused a navigation')).toHaveLength(4);
  });

  it('allows navigation of the main frame within the shell origin', () => {
    expect(navigate('will-navigate', `${SHELL}/`)).toBe(true);
    expect(navigate('will-navigate', `${SHELL}/settings#token=t`)).toBe(true);
    expect(navigate('will-frame-navigate', `${SHELL}/`)).toBe(true);
    expect(logger.entries).toHaveLength(0);
  });

  it('allows the boot page but no other data: URL', () => {
    expect(navigate('will-navigate', BOOT_PAGE_URL)).toBe(true);
    expect(navigate('will-navigate', 'data:text/html,<h1>Your session expired</h1>')).toBe(false);
    expect(navigate('will-frame-navigate', BOOT_PAGE_URL, false)).toBe(false);
  });

  it('lets an app frame load only /frame/ URLs of the shell origin', () => {
    expect(navigate('will-frame-navigate', `${SHELL}/frame/ver_abcdef123?cap=x`, false)).toBe(true);
    expect(navigate('will-frame-navigate', `${SHELL}/`, false)).toBe(false);
    expect(navigate('will-frame-navigate', `${SHELL}/frame/../api`, false)).toBe(false);
    expect(navigate('will-frame-navigate', `${SHELL}/frame/%2e%2e/api`, false)).toBe(false);
    expect(navigate('will-frame-navigate', 'http://127.0.0.1:9999/frame/ver_abcdef123', false)).toBe(false);
    expect(navigate('will-frame-navigate', 'data:text/html,hi', false)).toBe(false);
  });

  it('prevents a redirect off the shell origin', () => {
    expect(navigate('will-redirect', 'https://example.com/')).toBe(false);
    expect(navigate('will-redirect', `${SHELL}/frame/v?cap=x`, false)).toBe(true);
    expect(navigate('will-redirect', 'https://example.com/frame/v', false)).toBe(false);
  });

  it('prevents attaching a webview', () => {
    const event = electronEvent({});
    contents.emit('will-attach-webview', event, {}, { src: 'https://example.com/' });
    expect(event.defaultPrevented).toBe(true);
    expect(logger.entries.at(-1)?.msg).toBe('refused to attach a webview');
  });

  it('allows only the boot page before the shell origin is known', () => {
    const early = new FakeWebContents();
    secureWebContents(early as unknown as WebContents, new OriginPolicy(BOOT_PAGE_URL), logger);
    const go = (url: string, isMainFrame: boolean) => {
      const e = electronEvent({ url, isMainFrame });
      early.emit('will-frame-navigate', e);
      return !e.defaultPrevented;
    };
    expect(go(BOOT_PAGE_URL, true)).toBe(true);
    expect(go(`${SHELL}/`, true)).toBe(false);
    expect(go(`${SHELL}/frame/x`, false)).toBe(false);
  });

  it('secures every webContents the app creates', () => {
    const app = new EventEmitter();
    secureAllWebContents(app as unknown as App, shellPolicy(), logger);
    const created = new FakeWebContents();
    app.emit('web-contents-created', {}, created);
    expect(created.windowOpenHandler?.({ url: 'https://example.com/', disposition: 'new-window' })).toEqual({
      action: 'deny',
    });
  });
});

describe('the request filter', () => {
  let session: FakeSession;
  let logger: ReturnType<typeof memoryLogger>;
  const mainFrame = fakeFrame(`${SHELL}/`);
  const appFrame = fakeFrame(APP_FRAME, mainFrame, 'null');

  beforeEach(() => {
    session = new FakeSession();
    logger = memoryLogger();
    secureSession(session as unknown as Session, shellPolicy(), { logger });
  });

  it('filters every URL', () => {
    expect(session.beforeRequest?.filter).toEqual({ urls: ['<all_urls>'] });
  });

  it('cancels a request to http://example.com', () => {
    expect(session.send({ url: 'http://example.com/', resourceType: 'xhr', frame: mainFrame })).toBe(true);
    expect(logger.entries).toContainEqual({
      level: 'warn',
      msg: 'cancelled a request',
      fields: { url: 'http://example.com/', resourceType: 'xhr', fromAppFrame: false },
    });
  });

  it('allows a request to the shell origin', () => {
    expect(session.send({ url: `${SHELL}/shell.css`, resourceType: 'stylesheet', frame: mainFrame })).toBe(
      false,
    );
    expect(session.send({ url: `${SHELL}/`, resourceType: 'mainFrame', frame: mainFrame })).toBe(false);
    expect(logger.entries).toHaveLength(0);
  });

  it('cancels a request to another loopback port', () => {
    expect(session.send({ url: 'http://127.0.0.1:9999/', resourceType: 'xhr', frame: mainFrame })).toBe(true);
    expect(session.send({ url: 'http://localhost:7878/', resourceType: 'xhr', frame: mainFrame })).toBe(true);
  });

  it("allows the shell's WebSocket to the daemon and no other", () => {
    expect(
      session.send({ url: 'ws://127.0.0.1:7878/api?token=t', resourceType: 'webSocket', frame: mainFrame }),
    ).toBe(false);
    expect(
      session.send({ url: 'ws://127.0.0.1:9999/api', resourceType: 'webSocket', frame: mainFrame }),
    ).toBe(true);
    expect(session.send({ url: 'wss://example.com/', resourceType: 'webSocket', frame: mainFrame })).toBe(
      true,
    );
  });

  it('allows DevTools and cancels other schemes', () => {
    expect(
      session.send({ url: 'devtools://devtools/bundled/devtools_app.html', resourceType: 'other' }),
    ).toBe(false);
    expect(session.send({ url: 'file:///etc/passwd', resourceType: 'xhr', frame: mainFrame })).toBe(true);
    expect(
      session.send({ url: 'chrome-extension://abc/x.js', resourceType: 'script', frame: mainFrame }),
    ).toBe(true);
  });

  it('loads app frames only from /frame/ of the shell origin', () => {
    expect(session.send({ url: APP_FRAME, resourceType: 'subFrame', frame: appFrame })).toBe(false);
    expect(session.send({ url: `${SHELL}/`, resourceType: 'subFrame', frame: appFrame })).toBe(true);
    expect(session.send({ url: 'https://example.com/', resourceType: 'subFrame', frame: appFrame })).toBe(
      true,
    );
  });

  it('keeps app frames off the network and off the daemon API', () => {
    const fromApp = (url: string, resourceType = 'xhr') =>
      session.send({ url, resourceType, frame: appFrame });
    expect(fromApp('https://example.com/collect')).toBe(true);
    expect(fromApp(`${SHELL}/api`)).toBe(true);
    expect(fromApp('ws://127.0.0.1:7878/api', 'webSocket')).toBe(true);
    expect(fromApp(`${SHELL}/frame/ver_abcdef123/asset`, 'image')).toBe(false);
    // A destroyed frame leaves only the opaque initiator to tell it was an app frame.
    expect(
      session.send({ url: `${SHELL}/api`, resourceType: 'xhr', frame: null, initiatorOrigin: 'null' }),
    ).toBe(true);
  });

  it('lets in-memory data: and blob: resources through, but never as frames', () => {
    expect(session.send({ url: 'data:image/png;base64,AAAA', resourceType: 'image', frame: appFrame })).toBe(
      false,
    );
    expect(session.send({ url: 'blob:null/1234', resourceType: 'media', frame: appFrame })).toBe(false);
    expect(session.send({ url: 'data:text/html,hi', resourceType: 'subFrame', frame: appFrame })).toBe(true);
    expect(session.send({ url: 'data:text/html,hi', resourceType: 'mainFrame', frame: mainFrame })).toBe(
      true,
    );
    expect(session.send({ url: BOOT_PAGE_URL, resourceType: 'mainFrame' })).toBe(false);
  });

  it('cancels downloads', () => {
    const event = electronEvent({});
    session.emit('will-download', event, { getURL: () => `${SHELL}/big.bin` });
    expect(event.defaultPrevented).toBe(true);
    expect(logger.entries.at(-1)?.msg).toBe('refused a download');
  });
});

describe('OriginPolicy', () => {
  it('refuses a shell URL that is not http(s)', () => {
    expect(() => new OriginPolicy(BOOT_PAGE_URL).setShellUrl('file:///srv/shell')).toThrow(TypeError);
    expect(() => new OriginPolicy(BOOT_PAGE_URL).setShellUrl('not a url')).toThrow(TypeError);
  });

  it('compares origins exactly', () => {
    const policy = shellPolicy();
    expect(policy.isShellOrigin(SHELL)).toBe(true);
    expect(policy.isShellOrigin(`${SHELL}/`)).toBe(false);
    expect(policy.isShellOrigin('null')).toBe(false);
  });
});

describe('redactUrl', () => {
  it('drops capabilities, tokens and data', () => {
    expect(redactUrl(`${SHELL}/frame/ver_1?cap=secret`)).toBe(`${SHELL}/frame/ver_1`);
    expect(redactUrl(`${SHELL}/#token=secret`)).toBe(`${SHELL}/`);
    expect(redactUrl('data:text/html,secret')).toBe('data:…');
  });
});
