import {
  ErrorCode,
  type EventData,
  type EventName,
  events,
  FigmentError,
  MAX_MESSAGE_BYTES,
  type Method,
  type Params,
  PROTOCOL_VERSION,
  type Result,
  resultSchemas,
  ServerMessage,
} from '../../services/protocol/index.js';

export type Hello = Result<'hello'>;

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'connected'; hello: Hello }
  | { kind: 'reconnecting'; attempt: number; retryInMs: number }
  /** The daemon refused this shell's token (or there is none); it retries slowly in case it was restarting. */
  | { kind: 'unauthorized'; hasToken: boolean }
  /** The daemon speaks another protocol version; retrying cannot help. */
  | { kind: 'incompatible'; message: string };

export interface DaemonClientOptions {
  /** Told of every change of connection state. */
  onState(state: ConnectionState): void;
  /** WebSocket URL without the token. Defaults to /api on the page's own origin. */
  url?: string;
  /** Where the token is kept between reloads. Defaults to sessionStorage. */
  tokenStore?: Storage;
  /** Longest wait for a reply, except `generate`, which the daemon bounds itself. Defaults to 30 s. */
  timeoutMs?: number;
}

/** A request on its way: its id (to match progress events or cancel it) and its result. */
export interface PendingCall<M extends Method> {
  id: string;
  result: Promise<Result<M>>;
}

interface Waiting {
  method: Method;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: number | undefined;
}

const TOKEN_KEY = 'figment.token';
const API_KEY = 'figment.api';

/** Only figmentd's own loopback socket may be named in the fragment. */
function isLoopbackSocketUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'ws:' || url.protocol === 'wss:') &&
      /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname) &&
      url.pathname === '/api' &&
      url.search === '' &&
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}
const MAX_RETRY_MS = 10_000;
const UNAUTHORIZED_RETRY_MS = 15_000;
/** figmentd accepts a socket with a wrong token and closes it with this code (a browser cannot see an HTTP 401). */
const UNAUTHORIZED_CLOSE = 4401;

/**
 * The shell's one connection to figmentd. Every message from the daemon is
 * checked against the protocol before anyone sees it; a dropped connection
 * is retried with backoff, and the state is reported so the screen is never blank.
 */
export class DaemonClient {
  #socket: WebSocket | undefined;
  #state: ConnectionState = { kind: 'connecting' };
  #token: string | null = null;
  #nextId = 1;
  #attempt = 0;
  #retryTimer: number | undefined;
  #stopped = false;
  readonly #pending = new Map<string, Waiting>();
  readonly #listeners = new Map<EventName, Set<(data: unknown) => void>>();

  constructor(private readonly options: DaemonClientOptions) {}

  get state(): ConnectionState {
    return this.#state;
  }

  /** Takes the token from the address bar (or the session) and connects. */
  start(): void {
    this.#stopped = false;
    this.#token = this.#takeToken();
    // Opening the new link figmentd printed changes only the fragment: the page does not reload.
    window.addEventListener('hashchange', this.#onHashChange);
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    window.removeEventListener('hashchange', this.#onHashChange);
    window.clearTimeout(this.#retryTimer);
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close(1000, 'shell stopping');
    this.#rejectAll(new FigmentError(ErrorCode.Internal, 'The connection to Figment was closed.'));
  }

  /** Skips the rest of the backoff wait and tries at once. */
  retryNow(): void {
    if (this.#stopped || (this.#state.kind !== 'reconnecting' && this.#state.kind !== 'unauthorized')) return;
    window.clearTimeout(this.#retryTimer);
    this.#connect();
  }

  request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    return this.call(method, params).result;
  }

  /** Like request, but also gives the request id, which progress events and cancelling refer to. */
  call<M extends Method>(method: M, params: Params<M>): PendingCall<M> {
    const id = `r${this.#nextId++}`;
    if (this.#state.kind !== 'connected') {
      const error = new FigmentError(ErrorCode.Internal, 'Figment is not connected right now.');
      return { id, result: Promise.reject(error) };
    }
    return { id, result: this.#send(id, method, params) };
  }

  /** Listens to one kind of event; returns the function that stops listening. */
  on<E extends EventName>(event: E, listener: (data: EventData<E>) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const wrapped = listener as (data: unknown) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  readonly #onHashChange = (): void => {
    const token = this.#takeToken();
    if (this.#stopped || !token || token === this.#token) return;
    this.#token = token;
    window.clearTimeout(this.#retryTimer);
    this.#connect();
  };

  #takeToken(): string | null {
    const store = this.options.tokenStore ?? window.sessionStorage;
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    const fromHash = fragment.get('token');
    // The Electron host serves this page from figment://shell, so it also says where figmentd listens.
    const api = fragment.get('api');
    if (api !== null && isLoopbackSocketUrl(api)) store.setItem(API_KEY, api);
    if (fromHash) {
      store.setItem(TOKEN_KEY, fromHash);
      // Keep the secret out of the address bar, history and screenshots.
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
    }
    return fromHash || store.getItem(TOKEN_KEY);
  }

  /** figmentd's HTTP origin, where app frames come from: the page's own, or the one the host named. */
  get daemonOrigin(): string {
    const socket = new URL(this.#socketUrl());
    socket.protocol = socket.protocol === 'wss:' ? 'https:' : 'http:';
    return socket.origin;
  }

  #socketUrl(): string {
    if (this.options.url) return this.options.url;
    const named = (this.options.tokenStore ?? window.sessionStorage).getItem(API_KEY);
    if (named && isLoopbackSocketUrl(named)) return named;
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${window.location.host}/api`;
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    this.options.onState(state);
  }

  #connect(): void {
    if (!this.#token) {
      this.#setState({ kind: 'unauthorized', hasToken: false });
      return;
    }
    if (this.#state.kind !== 'reconnecting' && this.#state.kind !== 'unauthorized') {
      this.#setState({ kind: 'connecting' });
    }
    // Never two sockets: a retry replaces an attempt still under way.
    const previous = this.#socket;
    this.#socket = undefined;
    previous?.close();
    const url = new URL(this.#socketUrl());
    url.searchParams.set('token', this.#token);
    const socket = new WebSocket(url);
    this.#socket = socket;
    socket.addEventListener('open', () => void this.#greet(socket));
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (socket === this.#socket) this.#receive(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (socket === this.#socket) this.#closed(event.code);
    });
  }

  async #greet(socket: WebSocket): Promise<void> {
    try {
      const hello = await this.#send(`r${this.#nextId++}`, 'hello', {
        protocol: PROTOCOL_VERSION,
        client: 'shell',
      });
      if (hello.protocol !== PROTOCOL_VERSION) {
        throw new FigmentError(
          ErrorCode.BadMessage,
          `Figment speaks protocol ${hello.protocol}, not ${PROTOCOL_VERSION}.`,
        );
      }
      this.#attempt = 0;
      this.#setState({ kind: 'connected', hello });
    } catch (error) {
      if (socket !== this.#socket) return;
      const coded = FigmentError.from(error);
      if (coded.code === ErrorCode.BadMessage) {
        this.#stopped = true;
        this.#setState({ kind: 'incompatible', message: coded.message });
      }
      socket.close();
    }
  }

  #send<M extends Method>(id: string, method: M, params: Params<M>): Promise<Result<M>> {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new FigmentError(ErrorCode.Internal, 'Figment is not connected right now.'));
    }
    const text = JSON.stringify({ id, method, params });
    if (text.length > MAX_MESSAGE_BYTES / 4 && new Blob([text]).size > MAX_MESSAGE_BYTES) {
      return Promise.reject(
        new FigmentError(ErrorCode.Limit, 'That is too much to send to Figment at once.'),
      );
    }
    return new Promise<Result<M>>((resolve, reject) => {
      const timeoutMs = this.options.timeoutMs ?? 30_000;
      const timer =
        method === 'generate'
          ? undefined
          : window.setTimeout(() => {
              this.#pending.delete(id);
              reject(new FigmentError(ErrorCode.Limit, 'Figment took too long to answer.'));
            }, timeoutMs);
      this.#pending.set(id, { method, resolve: resolve as (result: unknown) => void, reject, timer });
      socket.send(text);
    });
  }

  #receive(raw: unknown): void {
    let json: unknown;
    try {
      json = typeof raw === 'string' ? JSON.parse(raw) : undefined;
    } catch {
      json = undefined;
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) {
      console.error('figment: ignored a message that does not match the protocol', parsed.error.issues);
      return;
    }
    const message = parsed.data;
    if (message.type === 'event') {
      const data = events[message.event].safeParse(message.data);
      if (!data.success) {
        console.error(`figment: ignored a malformed ${message.event} event`, data.error.issues);
        return;
      }
      for (const listener of this.#listeners.get(message.event) ?? []) listener(data.data);
      return;
    }
    if (message.type === 'error' && message.id === null) {
      // An error about no request in particular (a message it could not read).
      console.error('figment: the daemon reported', message.error);
      return;
    }
    const id = message.id ?? '';
    const waiting = this.#pending.get(id);
    if (!waiting) return;
    this.#pending.delete(id);
    window.clearTimeout(waiting.timer);
    if (message.type === 'error') {
      waiting.reject(new FigmentError(message.error.code, message.error.message));
      return;
    }
    const result = resultSchemas[waiting.method].safeParse(message.result);
    if (result.success) waiting.resolve(result.data);
    else
      waiting.reject(
        new FigmentError(
          ErrorCode.BadMessage,
          `Figment answered ${waiting.method} in a form this screen does not understand.`,
        ),
      );
  }

  #closed(code: number): void {
    this.#socket = undefined;
    this.#rejectAll(new FigmentError(ErrorCode.Internal, 'The connection to Figment was lost.'));
    if (this.#stopped) return;
    if (code === UNAUTHORIZED_CLOSE) {
      // figmentd restarted with a new token, or this page never had one: retry slowly.
      this.#setState({ kind: 'unauthorized', hasToken: true });
      this.#retryTimer = window.setTimeout(() => this.#connect(), UNAUTHORIZED_RETRY_MS);
      return;
    }
    const retryInMs = Math.min(MAX_RETRY_MS, 500 * 2 ** this.#attempt);
    this.#attempt++;
    this.#setState({ kind: 'reconnecting', attempt: this.#attempt, retryInMs });
    this.#retryTimer = window.setTimeout(() => this.#connect(), retryInMs);
  }

  #rejectAll(error: Error): void {
    for (const waiting of this.#pending.values()) {
      window.clearTimeout(waiting.timer);
      waiting.reject(error);
    }
    this.#pending.clear();
  }
}
