/*
 * ─── Security region ─────────────────────────────────────────────────────────
 *
 * Everything the Electron main process does to contain the shell and the
 * generated apps lives here, deny by default:
 *
 * - Permissions: both the request and the check handler refuse unless the
 *   permission is on the allowlist (media only) AND the grant hook (figmentd's
 *   sensor broker, see BrokerGrants) allows it for the asking frame.
 * - Windows: `window.open` and `target=_blank` never open anything.
 * - Navigation: the main frame stays on the shell origin (or the built-in boot
 *   page); app frames may only load `/frame/…` of the shell origin.
 * - Network: the session cancels every request that is not for the shell's
 *   own origin; app frames may only reach `/frame/…` there.
 * - `<webview>` never attaches; downloads never start; devices never pair.
 * - WebRTC sends no UDP that is not proxied (there is no proxy), so an app
 *   frame cannot reach the network through STUN even if it found a way to
 *   RTCPeerConnection; the isolation switches (shell/shared) set the same.
 *
 * The functions take the Electron objects as parameters so tests pass fakes.
 * ─────────────────────────────────────────────────────────────────────────────
 */
import type { App, OnBeforeRequestListenerDetails, Session, WebContents } from 'electron';

export type LogFields = Record<string, unknown>;

/** The logger the main process injects (figmentd's Logger fits). */
export interface ShellLogger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

type PermissionRequestHandler = NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>;
/** Every permission name Chromium may ask Electron about. */
export type Permission = Parameters<PermissionRequestHandler>[1];

/** The path prefix under which the daemon serves app frames. */
export const APP_FRAME_PATH = '/frame/';

/**
 * Which URLs the shell may show. The shell origin is unknown until figmentd's
 * connection file is read, so until then only the boot page is allowed.
 */
export class OriginPolicy {
  #shellOrigin: string | null = null;
  readonly #pageOrigin: string | null;

  /**
   * @param bootPageUrl the exact data: URL of the "Starting Figment…" page.
   * @param pageOrigin where the shell page itself comes from when that is not
   *   figmentd (Electron: figment://shell). The main frame then stays there,
   *   IPC is taken only from there, and figmentd's origin serves app frames
   *   and the API socket. Defaults to figmentd's origin (the page served by figmentd).
   */
  constructor(
    readonly bootPageUrl: string,
    pageOrigin?: string,
  ) {
    this.#pageOrigin = pageOrigin ?? null;
  }

  /** The daemon's origin, e.g. `http://127.0.0.1:7878`; null until set. */
  get shellOrigin(): string | null {
    return this.#shellOrigin;
  }

  /** Sets the shell origin from the daemon's base URL (http or https only). */
  setShellUrl(url: string): void {
    const parsed = parseUrl(url);
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new TypeError(`The shell URL must be http(s): ${redactUrl(url)}`);
    }
    this.#shellOrigin = parsed.origin;
  }

  /** True for an origin string (as WebFrameMain.origin gives it) equal to the shell page's. */
  isShellOrigin(origin: string): boolean {
    if (this.#pageOrigin !== null) return this.#shellOrigin !== null && origin === this.#pageOrigin;
    return this.#shellOrigin !== null && origin === this.#shellOrigin;
  }

  /** True when the URL is on the shell page's own origin (figment://shell), when it has one. */
  #isPageUrl(url: string): boolean {
    return this.#pageOrigin !== null && this.#shellOrigin !== null && originOf(url) === this.#pageOrigin;
  }

  /** True when the URL is on the shell origin (ws/wss count as http/https: the UI's WebSocket). */
  isShellUrl(url: string): boolean {
    const parsed = parseUrl(url);
    if (!parsed || this.#shellOrigin === null) return false;
    if (this.#isPageUrl(url)) return true;
    if (parsed.protocol === 'ws:') parsed.protocol = 'http:';
    else if (parsed.protocol === 'wss:') parsed.protocol = 'https:';
    return parsed.origin === this.#shellOrigin;
  }

  /** True for an app frame document: `/frame/…` on the shell origin. */
  isAppFrameUrl(url: string): boolean {
    const parsed = parseUrl(url);
    // The URL parser resolves `..` and `%2e%2e`, so the prefix test cannot be walked out of.
    return (
      parsed !== null &&
      this.#shellOrigin !== null &&
      parsed.origin === this.#shellOrigin &&
      parsed.pathname.startsWith(APP_FRAME_PATH)
    );
  }

  /** Where a frame may navigate: the main frame stays on the shell origin, app frames on `/frame/`. */
  allowsNavigation(url: string, isMainFrame: boolean): boolean {
    if (!isMainFrame) return this.isAppFrameUrl(url);
    if (url === this.bootPageUrl) return true;
    if (this.#pageOrigin !== null) return this.#isPageUrl(url);
    const parsed = parseUrl(url);
    return parsed !== null && this.#shellOrigin !== null && parsed.origin === this.#shellOrigin;
  }

  /** Whether the session lets a request through; see {@link describeRequest}. */
  allowsRequest(request: RequestFacts): boolean {
    const { url, resourceType, fromAppFrame } = request;
    // DevTools loads its own front end through the session (windowed dev mode only).
    if (url.startsWith('devtools:')) return true;
    if (resourceType === 'mainFrame') return this.allowsNavigation(url, true);
    if (resourceType === 'subFrame') return this.allowsNavigation(url, false);
    // data: and blob: are in-memory, never network: self-contained apps embed images this way.
    // Navigating to them is still refused above and by the navigation guards.
    if (url.startsWith('data:') || url.startsWith('blob:')) return true;
    if (fromAppFrame) return this.isAppFrameUrl(url);
    return this.isShellUrl(url);
  }
}

/** What the request filter decides on. */
export interface RequestFacts {
  url: string;
  resourceType: OnBeforeRequestListenerDetails['resourceType'];
  /** True when an app frame (any frame but the main one, or an opaque origin) asked. */
  fromAppFrame: boolean;
}

/** Reduces Electron's request details to the facts the policy needs. */
export function describeRequest(details: OnBeforeRequestListenerDetails): RequestFacts {
  const frame = details.frame;
  const fromSubframe = frame !== undefined && frame !== null && frame.parent !== null;
  // Sandboxed app frames have opaque origins; a destroyed frame leaves only this to go on.
  const fromOpaqueOrigin = details.initiatorOrigin === 'null';
  return {
    url: details.url,
    resourceType: details.resourceType,
    fromAppFrame: fromSubframe || fromOpaqueOrigin,
  };
}

/** A question to the grant hook: may this frame use this permission now? */
export interface PermissionQuery {
  permission: Permission;
  /** `request` prompts (getUserMedia…); `check` only asks the current state. */
  kind: 'request' | 'check';
  /** The asking frame's URL; for an app frame `/frame/<versionId>?cap=…` on the shell origin. */
  requestingUrl: string;
  isMainFrame: boolean;
  /** For `media`: which devices (`video`, `audio`). */
  mediaTypes: readonly string[];
}

/** Where a future broker grant allows a given permission for a given frame. Must answer at once. */
export type PermissionGrant = (query: PermissionQuery) => boolean;

/**
 * The permissions a grant may ever allow: media (camera, microphone), which
 * the broker then decides per grant. Location never goes through Chromium:
 * figmentd reads it from GeoClue2 for granted apps.
 */
export const PERMISSION_ALLOWLIST: ReadonlySet<Permission> = new Set<Permission>(['media']);

export interface SessionSecurityOptions {
  logger: ShellLogger;
  /** Decides per frame among allowlisted permissions. Defaults to refusing everything. */
  grant?: PermissionGrant;
  /** Defaults to {@link PERMISSION_ALLOWLIST} (empty). */
  allowlist?: ReadonlySet<Permission>;
}

/** Decides a permission: allowlisted, asked by the shell or an app frame, and granted. */
export function decidePermission(
  policy: OriginPolicy,
  query: PermissionQuery,
  allowlist: ReadonlySet<Permission>,
  grant: PermissionGrant,
): boolean {
  if (!allowlist.has(query.permission)) return false;
  const fromShellOrApp = query.isMainFrame
    ? query.requestingUrl !== policy.bootPageUrl && policy.allowsNavigation(query.requestingUrl, true)
    : policy.isAppFrameUrl(query.requestingUrl);
  if (!fromShellOrApp) return false;
  try {
    return grant(query) === true;
  } catch {
    return false;
  }
}

/**
 * Applies the session rules: permission request and check handlers, device
 * permissions, the request filter, and downloads.
 */
export function secureSession(session: Session, policy: OriginPolicy, options: SessionSecurityOptions): void {
  const { logger } = options;
  const grant = options.grant ?? (() => false);
  const allowlist = options.allowlist ?? PERMISSION_ALLOWLIST;

  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details && Array.isArray(details.mediaTypes) ? details.mediaTypes : [];
    const query: PermissionQuery = {
      permission,
      kind: 'request',
      requestingUrl: details.requestingUrl,
      isMainFrame: details.isMainFrame,
      mediaTypes,
    };
    const allowed = decidePermission(policy, query, allowlist, grant);
    if (!allowed) logger.warn('refused a permission request', permissionFields(query));
    callback(allowed);
  });

  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const query: PermissionQuery = {
      permission,
      kind: 'check',
      requestingUrl: details.requestingUrl ?? requestingOrigin,
      isMainFrame: details.isMainFrame,
      mediaTypes: details.mediaType ? [details.mediaType] : [],
    };
    const allowed = decidePermission(policy, query, allowlist, grant);
    // Pages check state often (Notification.permission…); debug keeps the journal readable.
    if (!allowed) logger.debug('refused a permission check', permissionFields(query));
    return allowed;
  });

  // HID, serial and USB devices a page remembered: none.
  session.setDevicePermissionHandler((details) => {
    logger.warn('refused a device permission', { deviceType: details.deviceType, origin: details.origin });
    return false;
  });

  session.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    const facts = describeRequest(details);
    if (policy.allowsRequest(facts)) {
      callback({});
      return;
    }
    logger.warn('cancelled a request', {
      url: redactUrl(facts.url),
      resourceType: facts.resourceType,
      fromAppFrame: facts.fromAppFrame,
    });
    callback({ cancel: true });
  });

  // A kiosk writes no files on a page's behalf.
  session.on('will-download', (event, item) => {
    event.preventDefault();
    logger.warn('refused a download', { url: redactUrl(item.getURL()) });
  });
}

/**
 * Applies the per-contents rules to one webContents: no new windows, the
 * navigation guards, no `<webview>`.
 */
export function secureWebContents(contents: WebContents, policy: OriginPolicy, logger: ShellLogger): void {
  contents.setWebRTCIPHandlingPolicy('disable_non_proxied_udp');
  contents.setWindowOpenHandler((details) => {
    logger.warn('refused to open a window', {
      url: redactUrl(details.url),
      disposition: details.disposition,
    });
    return { action: 'deny' };
  });

  const guard =
    (eventName: string) => (event: { url: string; isMainFrame: boolean; preventDefault(): void }) => {
      if (policy.allowsNavigation(event.url, event.isMainFrame)) return;
      event.preventDefault();
      logger.warn('refused a navigation', {
        event: eventName,
        url: redactUrl(event.url),
        isMainFrame: event.isMainFrame,
      });
    };
  contents.on('will-navigate', guard('will-navigate'));
  contents.on('will-frame-navigate', guard('will-frame-navigate'));
  contents.on('will-redirect', guard('will-redirect'));

  contents.on('will-attach-webview', (event, _webPreferences, params) => {
    event.preventDefault();
    logger.warn('refused to attach a webview', { src: redactUrl(params.src ?? '') });
  });
}

/** Secures every webContents the app ever creates, the shell window's included. Call before ready. */
export function secureAllWebContents(app: App, policy: OriginPolicy, logger: ShellLogger): void {
  app.on('web-contents-created', (_event, contents) => secureWebContents(contents, policy, logger));
}

/**
 * A URL fit for logs: app frame URLs carry a capability in the query and the
 * shell URL its token in the fragment, so both are dropped.
 */
export function redactUrl(url: string): string {
  const parsed = parseUrl(url);
  if (!parsed) return url.slice(0, 80);
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return `${parsed.protocol}…`;
  return `${parsed.origin === 'null' ? parsed.protocol : parsed.origin}${parsed.pathname}`;
}

function permissionFields(query: PermissionQuery): LogFields {
  return {
    permission: query.permission,
    requestingUrl: redactUrl(query.requestingUrl),
    isMainFrame: query.isMainFrame,
    ...(query.mediaTypes.length > 0 ? { mediaTypes: query.mediaTypes } : {}),
  };
}

/** A URL's origin; Node's URL says 'null' for custom schemes, which Chromium treats as standard. */
function originOf(url: string): string | null {
  const parsed = parseUrl(url);
  if (!parsed) return null;
  if (parsed.origin !== 'null') return parsed.origin;
  return parsed.host ? `${parsed.protocol}//${parsed.host}` : null;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
// ─── End of security region ──────────────────────────────────────────────────
