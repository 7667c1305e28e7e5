import {
  type AppSummary,
  ErrorCode,
  FigmentError,
  FrameCall,
  type JsonValue,
  type ShellReply,
} from '../../services/protocol/index.js';
import type { DaemonClient } from './DaemonClient.js';
import { describeError } from './describeError.js';
import { el } from './el.js';
import { RateLimiter } from './RateLimiter.js';

export interface AppFrameHostOptions {
  client: DaemonClient;
  /** The open app was closed (by the person or because it could not open). */
  onClose(): void;
  /** Calls one frame may make per second before it gets Limit errors. Defaults to 50. */
  callsPerSecond?: number;
}

/** What the shell knows about one running frame. Its app id comes from the shell, never from the frame. */
interface FrameSession {
  app: AppSummary;
  /** The version running in the frame, for failure reports. */
  versionId: string;
  window: Window;
  limiter: RateLimiter;
  ready: boolean;
}

/**
 * Runs one app at a time in a sandboxed iframe (scripts only, opaque origin)
 * inside trusted chrome, and is the shell's end of the SDK bridge: it
 * accepts messages only from its own frames' windows, checks them, and
 * forwards storage calls to figmentd as the app it opened in that frame.
 */
export class AppFrameHost {
  readonly #title = el('h2', { id: 'app-title', class: 'app-title', tabindex: -1 });
  readonly #close = el('button', { type: 'button', class: 'secondary' }, 'Close');
  readonly #stage = el('div', { class: 'app-stage' });
  readonly element = el(
    'section',
    { class: 'app-host', 'aria-labelledby': 'app-title', hidden: true },
    el('header', { class: 'app-bar' }, this.#title, this.#close),
    this.#stage,
  );
  readonly #frames = new Map<Window, FrameSession>();
  #opening = 0;

  constructor(private readonly options: AppFrameHostOptions) {
    this.#close.addEventListener('click', () => this.close());
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** The app on screen, if any. */
  get currentAppId(): string | undefined {
    return this.isOpen ? [...this.#frames.values()][0]?.app.id : undefined;
  }

  start(): void {
    window.addEventListener('message', this.#onMessage);
  }

  stop(): void {
    window.removeEventListener('message', this.#onMessage);
    this.#unload();
  }

  /** Opens an app in place of whatever app was open. */
  async open(appId: string, name: string): Promise<void> {
    const opening = ++this.#opening;
    this.#unload();
    this.element.hidden = false;
    this.#title.textContent = name;
    this.#stage.replaceChildren(el('p', { class: 'app-opening' }, `Opening “${name}”…`));
    this.#title.focus();
    try {
      const { app, versionId, frameUrl } = await this.options.client.request('apps.open', { appId });
      if (opening !== this.#opening) return;
      const url = new URL(frameUrl, window.location.href);
      // The daemon serves frames itself; a frame from anywhere else is refused.
      if (url.origin !== window.location.origin || !url.pathname.startsWith('/frame/')) {
        throw new FigmentError(
          ErrorCode.BadMessage,
          'Figment gave an address for this app that is not its own.',
        );
      }
      this.#title.textContent = app.name;
      const iframe = el('iframe', {
        class: 'app-frame',
        // Scripts only. NEVER add allow-same-origin: with it the app could reach the shell and its token.
        sandbox: 'allow-scripts',
        src: url.href,
        title: app.name,
        referrerpolicy: 'no-referrer',
      });
      this.#stage.replaceChildren(iframe);
      // contentWindow exists once the iframe is in the document and stays the same across its navigations.
      const frameWindow = iframe.contentWindow;
      if (!frameWindow) throw new FigmentError(ErrorCode.Internal, 'The app frame could not be created.');
      this.#frames.set(frameWindow, {
        app,
        versionId,
        window: frameWindow,
        limiter: new RateLimiter(this.options.callsPerSecond ?? 50),
        ready: false,
      });
    } catch (error) {
      if (opening !== this.#opening) return;
      const words = describeError(error);
      const back = el('button', { type: 'button' }, 'Back to your apps');
      back.addEventListener('click', () => this.close());
      this.#stage.replaceChildren(
        el(
          'div',
          { class: 'problem', role: 'alert' },
          el('p', { class: 'problem-title' }, `“${name}” could not be opened. ${words.title}`),
          words.detail && el('p', { class: 'problem-detail' }, words.detail),
          back,
        ),
      );
      back.focus();
    }
  }

  close(): void {
    this.#opening++;
    this.#unload();
    this.element.hidden = true;
    this.options.onClose();
  }

  #unload(): void {
    this.#frames.clear();
    this.#stage.replaceChildren();
  }

  readonly #onMessage = (event: MessageEvent<unknown>): void => {
    // Who sent it is the only thing that identifies an app; what it says about itself counts for nothing.
    const session = event.source ? this.#frames.get(event.source as Window) : undefined;
    if (!session) return;
    const id = callId(event.data);
    if (!session.limiter.take()) {
      if (id !== undefined)
        this.#reply(session, failure(id, ErrorCode.Limit, 'Too many calls at once; slow down.'));
      return;
    }
    const parsed = FrameCall.safeParse(event.data);
    if (!parsed.success) {
      console.warn(
        `figment: ${session.app.name} sent a message the SDK does not define`,
        parsed.error.issues,
      );
      if (id !== undefined)
        this.#reply(session, failure(id, ErrorCode.BadMessage, 'Figment does not understand that call.'));
      return;
    }
    const call = parsed.data;
    this.#handle(session, call).then(
      (result) => this.#reply(session, { figment: 1, id: call.id, ok: true, result }),
      (error: unknown) => {
        const coded = FigmentError.from(error);
        this.#reply(session, failure(call.id, coded.code, coded.message));
      },
    );
  };

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
      case 'diagnostics.error': {
        console.error(
          `figment: ${session.app.name} (${appId}) reported: ${call.args.message}`,
          call.args.stack ?? '',
        );
        // figmentd keeps the failure, so a repair can send it back to the model.
        const { message, stack } = call.args;
        await this.options.client
          .request('apps.report', {
            versionId: session.versionId,
            kind: 'error',
            message,
            ...(stack ? { stack } : {}),
          })
          .catch(() => undefined);
        return null;
      }
    }
  }

  #reply(session: FrameSession, reply: ShellReply): void {
    // A frame closed meanwhile gets nothing; its window is gone or belongs to no app now.
    if (this.#frames.get(session.window) !== session) return;
    session.window.postMessage(reply, '*');
  }
}

function requireCapability(app: AppSummary, capability: AppSummary['capabilities'][number]): void {
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
