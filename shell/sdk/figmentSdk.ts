/**
 * The Figment SDK, injected as the first script of every app frame and
 * bundled to an IIFE. It defines `window.figment` and talks to the shell
 * only by postMessage; the shell decides what each call may do, so the
 * calls here are a convenience for generated code, not a boundary. (The one
 * exception is lockDownFrame, which removes WebRTC before app code runs.)
 * No zod: the bundle must stay small and self-contained.
 */
import type {
  FrameCall,
  JsonValue,
  SDK_VERSION,
  ShellEvent,
  ShellReply,
} from '../../services/protocol/index.js';
import { type AppliedTheme, applyTheme, isThemeShape } from './applyTheme.js';
import { lockDownFrame } from './lockDownFrame.js';

// A type check keeps this copy equal to the protocol's version.
const VERSION: typeof SDK_VERSION = '1.2.0';
/** Longest time a call waits for the shell. */
const CALL_TIMEOUT_MS = 30_000;
/** Error reports allowed per second, so an error in a render loop cannot flood the shell. */
const REPORTS_PER_SECOND = 5;

type Call = FrameCall['call'];
type Args<C extends Call> = Extract<FrameCall, { call: C }>['args'];
type Pending = { resolve(result: JsonValue | null): void; reject(error: Error): void; timer: number };

(() => {
  // Injected twice (say, a document that embeds its own copy): keep the first.
  if (Object.hasOwn(window, 'figment')) return;
  lockDownFrame(window);

  // Captured now, before app code can shadow them.
  const shell = window.parent;
  const framed = shell !== window;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let readySent = false;
  const reportTimes: number[] = [];
  // Live: its length is the document's element count, kept current by the browser.
  const allElements = document.getElementsByTagName('*');
  const themeListeners = new Set<(theme: AppliedTheme) => void>();
  // The shell puts the person's theme in the frame URL's fragment, so the first paint already follows it.
  let theme = applyTheme(
    document,
    themeFromFragment() ?? { mode: 'light', textScale: 1, reducedMotion: false },
  );

  function codedError(code: string, message: string): Error {
    return Object.assign(new Error(message), { name: 'FigmentError', code });
  }

  function post<C extends Call>(call: C, args: Args<C>): number {
    const id = nextId++;
    shell.postMessage({ figment: 1, id, call, args } as FrameCall, '*');
    return id;
  }

  function request<C extends Call>(call: C, args: Args<C>): Promise<JsonValue | null> {
    if (!framed) {
      return Promise.reject(codedError('FIGMENT_ERR_INTERNAL', 'This app is not running inside Figment'));
    }
    return new Promise((resolve, reject) => {
      const id = post(call, args);
      const timer = window.setTimeout(() => {
        pending.delete(id);
        reject(codedError('FIGMENT_ERR_LIMIT', `Figment did not answer ${call} in time`));
      }, CALL_TIMEOUT_MS);
      pending.set(id, { resolve, reject, timer });
    });
  }

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    // Only the shell (our parent window) answers calls; the app could post anything to itself.
    if (event.source !== shell) return;
    if (isShellEvent(event.data)) {
      onShellEvent(event.data);
      return;
    }
    if (!isReply(event.data)) return;
    const reply = event.data;
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    window.clearTimeout(waiting.timer);
    if (reply.ok) waiting.resolve(reply.result);
    else waiting.reject(codedError(reply.error.code, reply.error.message));
  });

  function onShellEvent(message: ShellEvent): void {
    if (message.event === 'heartbeat') {
      const memory = (performance as Performance & { memory?: { usedJSHeapSize?: number } }).memory;
      const args: Args<'lifecycle.heartbeat'> = { seq: message.seq, domNodes: allElements.length };
      if (typeof memory?.usedJSHeapSize === 'number') args.heapBytes = Math.round(memory.usedJSHeapSize);
      post('lifecycle.heartbeat', args);
      return;
    }
    theme = applyTheme(document, message.theme);
    for (const listener of themeListeners) {
      try {
        listener(theme);
      } catch (error) {
        report(
          `Theme listener failed: ${describe(error)}`,
          error instanceof Error ? error.stack : undefined,
          'error',
        );
      }
    }
  }

  function checkKey(key: unknown): string {
    if (typeof key !== 'string' || key.length < 1 || key.length > 200) {
      throw codedError('FIGMENT_ERR_BAD_MESSAGE', 'A storage key must be a string of 1 to 200 characters');
    }
    return key;
  }

  const storage = Object.freeze({
    async get(key: string): Promise<JsonValue | null> {
      return request('storage.get', { key: checkKey(key) });
    },
    async set(key: string, value: JsonValue): Promise<void> {
      const problem = jsonProblem(value);
      if (problem) throw codedError('FIGMENT_ERR_BAD_MESSAGE', `Cannot store "${String(key)}": ${problem}`);
      await request('storage.set', { key: checkKey(key), value });
    },
  });

  const themeApi = Object.freeze({
    get current(): AppliedTheme {
      return { ...theme, colors: { ...theme.colors } };
    },
    /** Calls `listener` whenever the person changes the theme; returns a function that stops it. */
    onChange(listener: (theme: AppliedTheme) => void): () => void {
      if (typeof listener !== 'function') {
        throw codedError('FIGMENT_ERR_BAD_MESSAGE', 'figment.theme.onChange wants a function');
      }
      themeListeners.add(listener);
      return () => themeListeners.delete(listener);
    },
  });

  /** The app's reason for a sensor, passed on only when it gave one (the shell checks its length). */
  function reasonOf(options: { reason?: string }): { reason?: string } {
    return typeof options.reason === 'string' ? { reason: options.reason } : {};
  }

  const sensors = Object.freeze({
    async location(options: { reason?: string } = {}): Promise<JsonValue | null> {
      return request('sensors.location', reasonOf(options));
    },
    async camera(options: { reason?: string } = {}): Promise<JsonValue | null> {
      return request('sensors.camera', reasonOf(options));
    },
    async microphone(options: { durationMs?: number; reason?: string } = {}): Promise<JsonValue | null> {
      const durationMs = options.durationMs ?? 3000;
      if (!Number.isInteger(durationMs) || durationMs < 100 || durationMs > 10_000) {
        throw codedError('FIGMENT_ERR_BAD_MESSAGE', 'durationMs must be a whole number from 100 to 10000');
      }
      return request('sensors.microphone', { durationMs, ...reasonOf(options) });
    },
  });

  function ready(): void {
    if (readySent || !framed) return;
    readySent = true;
    post('lifecycle.ready', {});
  }

  function report(message: string, stack: string | undefined, kind: 'error' | 'rejection'): void {
    if (!framed) return;
    const now = Date.now();
    while (reportTimes.length > 0 && now - (reportTimes[0] ?? 0) > 1000) reportTimes.shift();
    if (reportTimes.length >= REPORTS_PER_SECOND) return;
    reportTimes.push(now);
    // Trimmed to the protocol's limits, or the shell would refuse the report.
    const args: Args<'diagnostics.error'> = { kind, message: message.slice(0, 2000) || 'Unknown error' };
    if (stack) args.stack = stack.slice(0, 8000);
    post('diagnostics.error', args);
  }

  window.addEventListener('error', (event: ErrorEvent) => {
    const error: unknown = event.error;
    report(event.message || describe(error), error instanceof Error ? error.stack : undefined, 'error');
  });
  window.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
    const reason: unknown = event.reason;
    report(
      `Unhandled rejection: ${describe(reason)}`,
      reason instanceof Error ? reason.stack : undefined,
      'rejection',
    );
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready, { once: true });
  else ready();

  Object.defineProperty(window, 'figment', {
    value: Object.freeze({ version: VERSION, storage, theme: themeApi, sensors, ready }),
    enumerable: true,
    writable: false,
    configurable: false,
  });
})();

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

/** The theme the shell put in the frame URL's fragment (`#theme=<JSON>`), if any. */
function themeFromFragment():
  | { mode: 'light' | 'dark' | 'high-contrast'; textScale: number; reducedMotion: boolean }
  | undefined {
  try {
    const text = new URLSearchParams(location.hash.slice(1)).get('theme');
    const value: unknown = text ? JSON.parse(text) : undefined;
    return isThemeShape(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isShellEvent(data: unknown): data is ShellEvent {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as Record<string, unknown>;
  if (message.figment !== 1) return false;
  if (message.event === 'heartbeat') return typeof message.seq === 'number';
  return message.event === 'theme' && isThemeShape(message.theme);
}

/** A shape check of a reply; the shell is trusted, this only guards against stray messages. */
function isReply(data: unknown): data is ShellReply {
  if (typeof data !== 'object' || data === null) return false;
  const reply = data as Record<string, unknown>;
  if (reply.figment !== 1 || typeof reply.id !== 'number') return false;
  if (reply.ok === true) return 'result' in reply;
  if (reply.ok !== false || typeof reply.error !== 'object' || reply.error === null) return false;
  const error = reply.error as Record<string, unknown>;
  return typeof error.code === 'string' && typeof error.message === 'string';
}

/** Says why a value is not plain JSON, or returns undefined when it is. */
function jsonProblem(value: unknown, ancestors: object[] = [], path = 'value'): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is not a finite number`;
  if (typeof value !== 'object') return `${path} is ${typeof value}, which JSON cannot hold`;
  if (ancestors.includes(value)) return `${path} refers back to itself`;
  const inside = [...ancestors, value];
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const problem = jsonProblem(item, inside, `${path}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    return `${path} is a ${value.constructor?.name ?? 'special object'}, not a plain object`;
  }
  for (const [key, item] of Object.entries(value)) {
    const problem = jsonProblem(item, inside, `${path}.${key}`);
    if (problem) return problem;
  }
  return undefined;
}
