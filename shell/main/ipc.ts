/**
 * The one IPC contract between the shell window's preload and the main
 * process. Channels are named `figment:<domain>:<action>`, each with a zod
 * schema for its payload and its reply. Every invoke is checked: a known
 * channel, sent by the shell window's main frame on the shell origin, with a
 * payload that parses. Anything else is refused with a coded FigmentError and
 * logged.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { z } from 'zod';
import { ErrorCode, FigmentError } from '../../services/protocol/errors.js';
import type { OriginPolicy, ShellLogger } from './security.js';

export const IPC_PREFIX = 'figment:';

export const HostInfo = z.strictObject({
  kind: z.literal('electron'),
  /** The Electron version the shell runs on. */
  version: z.string(),
  kiosk: z.boolean(),
});
export type HostInfo = z.infer<typeof HostInfo>;

/** Every channel, with its payload and reply. A channel not listed here does not exist. */
export const ipcChannels = {
  'figment:host:info': { payload: z.undefined(), result: HostInfo },
  /** Quits the shell (admin use; not exposed by the preload yet). */
  'figment:host:quit': { payload: z.undefined(), result: z.undefined() },
} as const satisfies Record<
  `${typeof IPC_PREFIX}${string}:${string}`,
  { payload: z.ZodType; result: z.ZodType }
>;

/**
 * Messages the main process sends to the shell page, with their payloads. The preload hands each
 * payload (never Electron's event) to one narrow callback the page registered.
 */
export const shellEvents = {
  /** Alt+0…9 was pressed, wherever focus was (an app's frame included): show that app, 0 the launcher. */
  'figment:shell:switch-app': z.number().int().min(0).max(9),
} as const;
export type ShellEventChannel = keyof typeof shellEvents;

export type IpcChannel = keyof typeof ipcChannels;
export type IpcPayload<C extends IpcChannel> = z.output<(typeof ipcChannels)[C]['payload']>;
export type IpcResult<C extends IpcChannel> = z.input<(typeof ipcChannels)[C]['result']>;
export type IpcHandlers = {
  [C in IpcChannel]: (payload: IpcPayload<C>) => IpcResult<C> | Promise<IpcResult<C>>;
};

export const ipcChannelNames = Object.keys(ipcChannels) as IpcChannel[];

export interface IpcOptions {
  /** Knows the shell origin; a sender on any other origin is refused. */
  policy: OriginPolicy;
  /** The shell window's webContents (null before it exists); IPC from any other is refused. */
  shellContents: () => WebContents | null;
  logger: ShellLogger;
}

export interface IpcRegistration {
  /** Checks one invoke and runs its handler; what each `ipcMain.handle` listener calls. */
  dispatch(channel: string, event: IpcMainInvokeEvent, args: readonly unknown[]): Promise<unknown>;
  /** Removes every handler this registration added. */
  dispose(): void;
}

/** Registers one `ipcMain.handle` per known channel, each behind the same checks. */
export function registerIpc(ipcMain: IpcMain, handlers: IpcHandlers, options: IpcOptions): IpcRegistration {
  const { logger } = options;

  const refuse = (channel: string, code: FigmentError['code'], reason: string): never => {
    logger.warn('refused an IPC call', { channel: channel.slice(0, 100), code, reason });
    throw new FigmentError(code, `IPC ${channel.slice(0, 100)} refused: ${reason}`);
  };

  const dispatch = async (channel: string, event: IpcMainInvokeEvent, args: readonly unknown[]) => {
    if (!channel.startsWith(IPC_PREFIX))
      return refuse(channel, ErrorCode.UnknownMethod, 'not a figment channel');
    if (!isKnownChannel(channel)) return refuse(channel, ErrorCode.UnknownMethod, 'unknown channel');

    const senderProblem = checkSender(event, options);
    if (senderProblem) return refuse(channel, ErrorCode.Unauthorized, senderProblem);

    // One payload at most: extra arguments are as wrong as a bad payload.
    if (args.length > 1) return refuse(channel, ErrorCode.BadMessage, 'more than one argument');
    const spec = ipcChannels[channel];
    const payload = spec.payload.safeParse(args[0]);
    if (!payload.success) return refuse(channel, ErrorCode.BadMessage, z.prettifyError(payload.error));

    try {
      const handler = handlers[channel] as (payload: unknown) => unknown;
      const result = await handler(payload.data);
      return spec.result.parse(result);
    } catch (error) {
      const coded = FigmentError.from(error);
      logger.error('IPC handler failed', { channel, error: coded });
      throw coded;
    }
  };

  for (const channel of ipcChannelNames) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => dispatch(channel, event, args));
  }

  return {
    dispatch,
    dispose: () => {
      for (const channel of ipcChannelNames) ipcMain.removeHandler(channel);
    },
  };
}

export function isKnownChannel(channel: string): channel is IpcChannel {
  return Object.hasOwn(ipcChannels, channel);
}

/** Why a sender is not the shell window's main frame on the shell origin, or null when it is. */
export function checkSender(
  event: IpcMainInvokeEvent,
  options: Pick<IpcOptions, 'policy' | 'shellContents'>,
): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  const shell = options.shellContents();
  if (!shell || event.sender !== shell) return 'not the shell window';
  if (frame.parent !== null) return 'not the main frame';
  // A prerendered or outgoing page also has no parent: only the current main frame counts.
  if (frame.frameToken !== shell.mainFrame.frameToken || frame.processId !== shell.mainFrame.processId) {
    return 'not the current main frame';
  }
  if (!options.policy.isShellOrigin(frame.origin)) return 'not the shell origin';
  return null;
}
