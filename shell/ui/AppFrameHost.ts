import {
  type AppSummary,
  type Capability,
  ErrorCode,
  FigmentError,
  FrameCall,
  type JsonValue,
  MAX_MESSAGE_BYTES,
  type Result,
  type ShellEvent,
  type ShellReply,
  WARM_FRAME_PATH,
} from '../../services/protocol/index.js';
import { AppChrome } from './AppChrome.js';
import type { DaemonClient } from './DaemonClient.js';
import { describeError } from './describeError.js';
import { el } from './el.js';
import { FrameSupervisor, type StopReason, type SupervisorLimits } from './FrameSupervisor.js';
import type { Language } from './Language.js';
import { RateLimiter } from './RateLimiter.js';
import { denyAllSensors, type SensorGate } from './SensorGate.js';
import type { ThemeSettings } from './ThemeSettings.js';

/** How long after a stuck app is stopped the warm frame comes back (its old process must end first). */
const WARM_AGAIN_MS = 3_000;
/** Scripts only: the frame stays in an opaque origin. See {@link AppFrameHost} `#newFrame`. */
const APP_FRAME_SANDBOX = 'allow-scripts';
/** Permissions policy: no powerful feature is delegated; sensors go through the broker instead. */
const APP_FRAME_ALLOW =
  "camera 'none'; microphone 'none'; geolocation 'none'; fullscreen 'none'; clipboard-read 'none'; clipboard-write 'none'; display-capture 'none'; usb 'none'; serial 'none'; hid 'none'; bluetooth 'none'; payment 'none'; screen-wake-lock 'none'";

export interface AppFrameHostOptions {
  client: DaemonClient;
  /** The person's theme; frames start with it and follow its changes. */
  theme: ThemeSettings;
  /** The shell's words around the apps (their bars and notices); apps keep their own. */
  language: Language;
  /** The app on screen was closed (by the person or because it could not open): the launcher shows. */
  onClose(): void;
  /** The person asked to repair an app the supervisor stopped. */
  onRepair(app: AppSummary, reason: StopReason): void;
  /** Consent and the broker for sensors. Defaults to {@link denyAllSensors}. */
  sensors?: SensorGate;
  /** An app's frame went away (closed, replaced, stopped): its "while open" grants and captures end. */
  onFrameGone?(app: AppSummary): void;
  /** The open apps, or the one on screen (undefined: none), changed. */
  onAppsChanged?(apps: AppSummary[], active: string | undefined): void;
  /** figmentd was asked to open an app (it records the open, so its launcher order changes). */
  onOpenRequested?(appId: string): void;
  /** The person pressed "Change this" on an app. */
  onChangeApp?(app: AppSummary): void;
  /** The person pressed "Fix this"; `failed` says whether the app reported errors since it opened. */
  onFixApp?(app: AppSummary, failed: boolean): void;
  /** The person asked for an app's version history. */
  onVersions?(app: AppSummary): void;
  /** Apps kept open at once; opening one more closes the one seen least recently. Defaults to 6. */
  maxOpenApps?: number;
  /** Calls one frame may make per second; more are dropped unread. Defaults to 50. */
  callsPerSecond?: number;
  /** The supervisor's limits; see {@link SupervisorLimits} for the defaults. */
  limits?: Partial<SupervisorLimits>;
}

/** One open app: its panel (trusted chrome above its stage) and the frame running in the stage, if any. */
interface OpenApp {
  app: AppSummary;
  panel: HTMLElement;
  chrome: AppChrome;
  stage: HTMLDivElement;
  session: FrameSession | undefined;
  /** Counts loads, so an answer for an earlier load is ignored. */
  loads: number;
  state: 'loading' | 'running' | 'stopped' | 'failed';
  /** The app reported an error since it was last loaded. */
  failed: boolean;
  /** When it was last on screen, in the host's own count. */
  seen: number;
}

/** What the shell knows about one running frame. Its app id comes from the shell, never from the frame. */
interface FrameSession {
  open: OpenApp;
  app: AppSummary;
  /** The version running in the frame, for failure reports. */
  versionId: string;
  window: Window;
  limiter: RateLimiter;
  supervisor: FrameSupervisor;
  timer: number;
  ready: boolean;
}

/** How many refused messages one oversized message counts as. */
const OVERSIZED_WEIGHT = 20;

/** What the person is told when the supervisor stops an app, in plain words. */
export const STOP_WORDS = {
  unresponsive: 'stop.unresponsive',
  errors: 'stop.errors',
  flood: 'stop.flood',
  memory: 'stop.memory',
  dom: 'stop.dom',
} as const satisfies Record<StopReason, string>;

/**
 * Runs open apps, each in its own sandboxed iframe (scripts only, opaque
 * origin) below trusted chrome; hidden apps keep running. It is the shell's
 * end of the SDK bridge: it accepts messages only from its own frames'
 * windows, checks them, and forwards storage calls to figmentd as the app it
 * opened in that frame.
 */
export class AppFrameHost {
  readonly element = el('div', { class: 'app-host', hidden: true });
  readonly #frames = new Map<Window, FrameSession>();
  readonly #open = new Map<string, OpenApp>();
  #active: string | undefined;
  #seen = 0;
  #warmFrame: HTMLIFrameElement | undefined;
  /** Frame addresses by version id, from the launcher's list (see {@link expectFrames}). */
  #frameAddresses = new Map<string, string>();

  constructor(private readonly options: AppFrameHostOptions) {
    options.theme.onChange((theme) => {
      for (const session of this.#frames.values()) this.#tell(session, { figment: 1, event: 'theme', theme });
    });
    options.language.onChange(() => {
      for (const open of this.#open.values()) open.chrome.relabel();
    });
    options.client.on('broker.grantsChanged', ({ appId }) => {
      const open = this.#open.get(appId);
      if (open) void this.#showGrants(open);
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** The app on screen, if any. */
  get currentAppId(): string | undefined {
    return this.isOpen ? this.#active : undefined;
  }

  /** The open apps, in the order they were opened. */
  get openApps(): AppSummary[] {
    return [...this.#open.values()].map((open) => open.app);
  }

  isRunning(appId: string): boolean {
    return this.#open.has(appId);
  }

  /** The id of the panel that shows an app (for the switcher's tabs). */
  panelId(appId: string): string {
    return `app-panel-${appId}`;
  }

  start(): void {
    window.addEventListener('message', this.#onMessage);
  }

  /**
   * Keeps an empty sandboxed frame from figmentd loaded (see WARM_FRAME_PATH),
   * so opening an app does not wait for its process to start. Called on each
   * connection: figmentd may have come back on another address.
   *
   * While it loads it is rendered, as a transparent pixel nothing can reach, so its text is
   * laid out and the process has the fonts apps use (a hidden frame lays nothing out). Once
   * loaded it is hidden, so it costs nothing while apps open.
   */
  warmUp(): void {
    const src = new URL(WARM_FRAME_PATH, this.options.client.daemonOrigin).href;
    if (this.#warmFrame?.src === src) return;
    this.#warmFrame?.remove();
    const frame = el('iframe', {
      class: 'app-frame-warm',
      // The same sandbox as app frames, so they share its process.
      sandbox: APP_FRAME_SANDBOX,
      src,
      title: 'Figment',
      'aria-hidden': 'true',
      tabindex: -1,
      inert: true,
      referrerpolicy: 'no-referrer',
    });
    frame.addEventListener('load', () => (frame.hidden = true), { once: true });
    this.#warmFrame = frame;
    document.body.append(frame);
  }

  /** A new app frame in `stage`, loading `src`. */
  #newFrame(stage: HTMLElement, src: string, title: string): HTMLIFrameElement {
    const iframe = el('iframe', {
      class: 'app-frame',
      // Scripts only. NEVER add allow-same-origin: with it the app could reach the shell and its token.
      // No allow-popups, -top-navigation, -forms, -modals, -downloads, -pointer-lock: each stays refused.
      sandbox: APP_FRAME_SANDBOX,
      allow: APP_FRAME_ALLOW,
      src,
      title,
      referrerpolicy: 'no-referrer',
    });
    stage.replaceChildren(iframe);
    return iframe;
  }

  /**
   * A stuck app's process ends only when no frame is left in it, and the warm
   * frame would keep it (and its endless loop) alive for the next app: let
   * it go, and warm a fresh process once Chromium has ended that one.
   */
  #coolDown(): void {
    this.#warmFrame?.remove();
    this.#warmFrame = undefined;
    setTimeout(() => this.warmUp(), WARM_AGAIN_MS);
  }

  stop(): void {
    window.removeEventListener('message', this.#onMessage);
    for (const open of this.#open.values()) this.#unload(open);
  }

  /**
   * Shows an app, opening it if it is not open yet; an open app is loaded
   * again only when figmentd now runs another version of it (or it had stopped).
   * `show: false` opens it behind whatever is on screen.
   */
  async open(app: AppSummary, { show = true }: { show?: boolean } = {}): Promise<void> {
    let open = this.#open.get(app.id);
    const current =
      open &&
      (open.state === 'running' || open.state === 'loading') &&
      open.app.currentVersionId === app.currentVersionId;
    // Asked first, so figmentd answers while the panel is built and laid out.
    const opening = current ? undefined : this.#requestOpen(app.id);
    if (!open) {
      open = this.#add(app);
    }
    // Loading starts before the panel is shown and laid out.
    const loading = opening && this.#load(open, opening);
    if (show) this.show(app.id);
    await loading;
  }

  /** The frame address of each listed app's current version (`apps.list`'s `frames`): opening one starts there. */
  expectFrames(frames: Record<string, string>): void {
    this.#frameAddresses = new Map(Object.entries(frames));
  }

  /** Shows a change to an open app's launcher state (pin, icon) in its chrome and tab. */
  update(app: AppSummary): void {
    const open = this.#open.get(app.id);
    if (!open) return;
    open.app = { ...open.app, pinnedAt: app.pinnedAt, icon: app.icon };
    open.chrome.show(open.app);
    this.#changed();
  }

  /** Puts an open app on screen (the others keep running, hidden). */
  show(appId: string, { focus = true }: { focus?: boolean } = {}): void {
    const open = this.#open.get(appId);
    if (!open) return;
    this.#active = appId;
    open.seen = ++this.#seen;
    for (const other of this.#open.values()) other.panel.hidden = other !== open;
    this.element.hidden = false;
    if (focus) open.chrome.title.focus();
    this.#changed();
  }

  /** Hides the apps (they keep running) so the launcher can show. */
  hide(): void {
    this.#active = undefined;
    this.element.hidden = true;
    this.#changed();
  }

  /** Closes an app (by default the one on screen); closing the one on screen goes back to the launcher. */
  close(appId = this.#active): void {
    const open = appId === undefined ? undefined : this.#open.get(appId);
    const wasActive = appId === undefined || appId === this.#active;
    if (open) {
      open.loads++;
      this.#unload(open);
      open.panel.remove();
      this.#open.delete(open.app.id);
    }
    if (wasActive) {
      this.#active = undefined;
      this.element.hidden = true;
    }
    this.#changed();
    if (wasActive) this.options.onClose();
  }

  #add(app: AppSummary): OpenApp {
    const limit = this.options.maxOpenApps ?? 6;
    while (this.#open.size >= limit) {
      // The app on screen goes last: the person is looking at it.
      const oldest = [...this.#open.values()].sort(
        (a, b) => Number(a.app.id === this.#active) - Number(b.app.id === this.#active) || a.seen - b.seen,
      )[0];
      if (!oldest) break;
      this.close(oldest.app.id);
    }
    const chrome: AppChrome = new AppChrome(
      app,
      {
        close: () => this.close(open.app.id),
        fix: () => this.options.onFixApp?.(open.app, open.failed),
        change: () => this.options.onChangeApp?.(open.app),
        versions: () => this.options.onVersions?.(open.app),
      },
      this.options.language,
    );
    const stage = el('div', { class: 'app-stage' });
    const panel = el(
      'section',
      {
        class: 'app-panel',
        id: this.panelId(app.id),
        role: 'tabpanel',
        'aria-labelledby': chrome.title.id,
        hidden: true,
      },
      chrome.element,
      stage,
    );
    const open: OpenApp = {
      app,
      panel,
      chrome,
      stage,
      session: undefined,
      loads: 0,
      state: 'loading',
      failed: false,
      seen: ++this.#seen,
    };
    this.#open.set(app.id, open);
    this.element.append(panel);
    this.#changed();
    return open;
  }

  #requestOpen(appId: string): Promise<Result<'apps.open'>> {
    this.options.onOpenRequested?.(appId);
    return this.options.client.request('apps.open', { appId });
  }

  /**
   * Loads (or loads again) the app's current version into its stage. When the launcher's list
   * gave this version's frame address, the frame starts loading at once; figmentd's answer to
   * `apps.open` (which also records the open) only corrects it if the app has changed since.
   */
  async #load(open: OpenApp, opening = this.#requestOpen(open.app.id)): Promise<void> {
    const load = ++open.loads;
    const { name, id: appId } = open.app;
    this.#unload(open);
    open.state = 'loading';
    open.failed = false;
    const words = this.options.language;
    open.stage.replaceChildren(el('p', { class: 'app-opening' }, words.t('frame.opening', { name })));
    try {
      const known = this.#frameAddresses.get(open.app.currentVersionId);
      if (known) this.#startFrame(open, open.app, open.app.currentVersionId, known);
      const { app, versionId, frameUrl } = await opening;
      if (load !== open.loads) return;
      open.app = app;
      open.chrome.show(app);
      const session = open.session;
      if (session?.versionId === versionId && known === frameUrl) session.app = app;
      else this.#startFrame(open, app, versionId, frameUrl);
      open.state = 'running';
      this.#changed();
      void this.#showGrants(open);
    } catch (error) {
      if (load !== open.loads) return;
      this.#unload(open);
      open.state = 'failed';
      const problem = describeError(error, words);
      const back = el('button', { type: 'button' }, words.t('frame.back'));
      back.addEventListener('click', () => this.close(appId));
      open.stage.replaceChildren(
        el(
          'div',
          { class: 'problem', role: 'alert' },
          el('p', { class: 'problem-title' }, words.t('frame.openFailed', { name, title: problem.title })),
          problem.detail && el('p', { class: 'problem-detail' }, problem.detail),
          back,
        ),
      );
      if (this.currentAppId === appId) back.focus();
    }
  }

  /**
   * Runs `versionId` of `app` in the open app's stage, in place of what ran there: a frame at
   * `frameUrl` (which must be figmentd's own) and the session that supervises it.
   */
  #startFrame(open: OpenApp, app: AppSummary, versionId: string, frameUrl: string): void {
    // The daemon serves frames itself (on the page's origin, or beside figment://shell in Electron).
    const daemonOrigin = this.options.client.daemonOrigin;
    const url = new URL(frameUrl, daemonOrigin);
    if (url.origin !== daemonOrigin || !url.pathname.startsWith('/frame/')) {
      throw new FigmentError(
        ErrorCode.BadMessage,
        'Figment gave an address for this app that is not its own.',
      );
    }
    this.#unload(open);
    // The theme rides in the fragment (never sent to the server), so the app's first paint follows it.
    url.hash = new URLSearchParams({ theme: JSON.stringify(this.options.theme.current) }).toString();
    const iframe = this.#newFrame(open.stage, url.href, app.name);
    // contentWindow exists once the iframe is in the document and stays the same across its navigations.
    const frameWindow = iframe.contentWindow;
    if (!frameWindow) throw new FigmentError(ErrorCode.Internal, 'The app frame could not be created.');
    const supervisor = new FrameSupervisor(this.options.limits);
    const session: FrameSession = {
      open,
      app,
      versionId,
      window: frameWindow,
      limiter: new RateLimiter(this.options.callsPerSecond ?? 50),
      supervisor,
      timer: 0,
      ready: false,
    };
    session.timer = window.setInterval(() => {
      const reason = supervisor.check();
      if (reason) this.#stopFrame(session, reason);
      else this.#tell(session, { figment: 1, event: 'heartbeat', seq: supervisor.nextHeartbeat() });
    }, supervisor.limits.heartbeatMs);
    this.#frames.set(frameWindow, session);
    open.session = session;
  }

  /** Ends the frame running in an app's stage, if any. */
  #unload(open: OpenApp): void {
    const session = open.session;
    open.session = undefined;
    if (session) {
      window.clearInterval(session.timer);
      this.#frames.delete(session.window);
      this.options.onFrameGone?.(session.app);
    }
    // Removing the iframe ends its document; its renderer process goes with it.
    open.stage.replaceChildren();
  }

  async #showGrants(open: OpenApp): Promise<void> {
    const capabilities = open.app.capabilities;
    if (!capabilities.some((capability) => capability !== 'storage')) return;
    try {
      const { grants } = await this.options.client.request('broker.grants', {});
      if (this.#open.get(open.app.id) === open) open.chrome.showGrants(grants);
    } catch {
      // The chrome keeps saying "asks first", which is what the broker does without a grant.
    }
  }

  #changed(): void {
    this.options.onAppsChanged?.(this.openApps, this.currentAppId);
  }

  /** Stops a frame the supervisor gave up on, tells the person why and offers repair. */
  #stopFrame(session: FrameSession, reason: StopReason): void {
    const { open, app } = session;
    if (open.session !== session) return;
    console.warn(`figment: stopped ${app.name} (${app.id}): ${reason}`);
    this.#unload(open);
    if (reason === 'unresponsive') this.#coolDown();
    open.state = 'stopped';
    const words = this.options.language;
    const repair = el('button', { type: 'button' }, words.t('frame.repair'));
    const again = el('button', { type: 'button', class: 'secondary' }, words.t('frame.again'));
    const back = el('button', { type: 'button', class: 'secondary' }, words.t('frame.back'));
    repair.addEventListener('click', () => this.options.onRepair(app, reason));
    again.addEventListener('click', () => void this.#load(open));
    back.addEventListener('click', () => this.close(app.id));
    open.stage.replaceChildren(
      el(
        'div',
        { class: 'problem app-stopped', role: 'alert', 'data-reason': reason },
        el(
          'p',
          { class: 'problem-title' },
          words.t('frame.stopped', { name: app.name, reason: words.t(STOP_WORDS[reason]) }),
        ),
        el('p', { class: 'problem-detail' }, words.t('frame.safe')),
        el('div', { class: 'problem-actions' }, repair, again, back),
      ),
    );
    // An app stopped behind another keeps its notice for when the person comes back to it.
    if (this.currentAppId === app.id) repair.focus();
  }

  readonly #onMessage = (event: MessageEvent<unknown>): void => {
    // Who sent it is the only thing that identifies an app; what it says about itself counts for nothing.
    const session = event.source ? this.#frames.get(event.source as Window) : undefined;
    if (!session) return;
    if (!session.limiter.take()) {
      // Dropped unread: reading event.data would make the shell deserialize whatever a flood carries.
      this.#refused(session);
      return;
    }
    const data: unknown = event.data;
    const parsed = FrameCall.safeParse(data);
    if (!parsed.success) {
      console.warn(`figment: ${session.app.name} sent a message the SDK does not define`);
      const id = callId(data);
      if (id !== undefined)
        this.#reply(session, failure(id, ErrorCode.BadMessage, 'Figment does not understand that call.'));
      this.#refused(session);
      return;
    }
    const call = parsed.data;
    if (call.call === 'storage.set' && JSON.stringify(call.args.value).length > MAX_MESSAGE_BYTES) {
      // Too big to forward; a stream of these is a flood even at a few a second.
      this.#reply(
        session,
        failure(call.id, ErrorCode.StorageQuota, `One value may be at most ${MAX_MESSAGE_BYTES / 1024} KiB.`),
      );
      this.#refused(session, OVERSIZED_WEIGHT);
      return;
    }
    if (call.call === 'lifecycle.heartbeat') {
      const reason = session.supervisor.heartbeat(call.args);
      if (reason) this.#stopFrame(session, reason);
      return;
    }
    this.#handle(session, call).then(
      (result) => this.#reply(session, { figment: 1, id: call.id, ok: true, result }),
      (error: unknown) => {
        const coded = FigmentError.from(error);
        this.#reply(session, failure(call.id, coded.code, coded.message));
      },
    );
  };

  #refused(session: FrameSession, weight = 1): void {
    const reason = session.supervisor.messageRefused(weight);
    if (reason) this.#stopFrame(session, reason);
  }

  async #handle(session: FrameSession, call: FrameCall): Promise<JsonValue | null> {
    const appId = session.app.id;
    switch (call.call) {
      case 'storage.get':
        requireCapability(session.app, 'storage');
        return (await this.options.client.request('storage.get', { appId, key: call.args.key })).value;
      case 'storage.set':
        requireCapability(session.app, 'storage');
        await this.options.client.request('storage.set', {
          appId,
          key: call.args.key,
          value: call.args.value,
        });
        return null;
      case 'lifecycle.ready':
        session.ready = true;
        return null;
      case 'lifecycle.heartbeat':
        // Answered in #onMessage; never forwarded.
        return null;
      case 'diagnostics.error': {
        console.error(
          `figment: ${session.app.name} (${appId}) reported ${call.args.kind ?? 'error'}: ${call.args.message}`,
          call.args.stack ?? '',
        );
        // figmentd keeps the failure, so a repair can send it back to the model.
        const { message, stack } = call.args;
        await this.options.client
          .request('apps.report', {
            versionId: session.versionId,
            kind: call.args.kind ?? 'error',
            message,
            ...(stack ? { stack } : {}),
          })
          .catch(() => undefined);
        session.open.failed = true;
        const reason = session.supervisor.errorReported();
        if (reason) queueMicrotask(() => this.#stopFrame(session, reason));
        return null;
      }
      case 'sensors.location':
      case 'sensors.camera':
      case 'sensors.microphone': {
        const sensor =
          call.call === 'sensors.location'
            ? 'location'
            : call.call === 'sensors.camera'
              ? 'camera'
              : 'microphone';
        requireCapability(session.app, sensor);
        const gate = this.options.sensors ?? denyAllSensors;
        const durationMs = call.call === 'sensors.microphone' ? call.args.durationMs : undefined;
        const reason = call.args.reason ?? '';
        return session.open.chrome.using(sensor, () =>
          gate({ app: session.app, sensor, reason, ...(durationMs === undefined ? {} : { durationMs }) }),
        );
      }
    }
  }

  #tell(session: FrameSession, message: ShellEvent): void {
    if (this.#frames.get(session.window) !== session) return;
    session.window.postMessage(message, '*');
  }

  #reply(session: FrameSession, reply: ShellReply): void {
    // A frame closed meanwhile gets nothing; its window is gone or belongs to no app now.
    if (this.#frames.get(session.window) !== session) return;
    session.window.postMessage(reply, '*');
  }
}

function requireCapability(app: AppSummary, capability: Capability): void {
  if (!app.capabilities.includes(capability)) {
    throw new FigmentError(ErrorCode.Capability, `This app did not ask for ${capability} when it was made.`);
  }
}

function failure(id: number, code: ErrorCode, message: string): ShellReply {
  return { figment: 1, id, ok: false, error: { code, message } };
}

/** The numeric id of something that looks like a call, so even a refused call gets an answer. */
function callId(data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const id = (data as { id?: unknown }).id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : undefined;
}
