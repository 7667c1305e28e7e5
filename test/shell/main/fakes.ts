/**
 * Small fakes of Electron's main-process objects, shaped like the real API at
 * the boundary the shell uses (no Electron binary runs in tests).
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import type { LogFields, ShellLogger } from '../../../shell/main/security.js';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields: LogFields;
}

/** A logger that keeps what it was told. */
export function memoryLogger(): ShellLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (msg: string, fields: LogFields = {}) => {
      entries.push({ level, msg, fields });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A WebFrameMain: what the shell reads of a frame. */
export interface FakeFrame {
  url: string;
  origin: string;
  parent: FakeFrame | null;
  frameToken: string;
  processId: number;
}

let tokens = 0;
export function fakeFrame(url: string, parent: FakeFrame | null = null, origin?: string): FakeFrame {
  tokens += 1;
  return { url, origin: origin ?? new URL(url).origin, parent, frameToken: `token-${tokens}`, processId: 7 };
}

/** An Electron Event<Params>: the params plus preventDefault. */
export function electronEvent<T extends object>(
  params: T,
): T & { preventDefault(): void; defaultPrevented: boolean } {
  const event = {
    ...params,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string; disposition: string }) => { action: string }) | undefined;
  mainFrame: FakeFrame;
  destroyed = false;
  reload = vi.fn();
  forcefullyCrashRenderer = vi.fn();
  /** What the main process sent to the page: `webContents.send(channel, ...args)`. */
  send = vi.fn();

  constructor(mainFrame: FakeFrame = fakeFrame('http://127.0.0.1:7878/')) {
    super();
    this.mainFrame = mainFrame;
  }

  webRTCIPHandlingPolicy: string | undefined;

  setWebRTCIPHandlingPolicy(policy: string): void {
    this.webRTCIPHandlingPolicy = policy;
  }

  setWindowOpenHandler(handler: FakeWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
}
