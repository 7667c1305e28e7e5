import { z } from 'zod';
import { ErrorBody, JsonValue, StorageKey } from './messages.js';

/**
 * Messages between an app frame (the Figment SDK) and the shell. The shell
 * attributes every call to the app of the frame it came from (by source
 * window), so no message carries an app id.
 */
export const SDK_VERSION = '1.0.0';

const CallId = z.number().int().nonnegative();

export const FrameCall = z.discriminatedUnion('call', [
  z.strictObject({
    figment: z.literal(1),
    id: CallId,
    call: z.literal('storage.get'),
    args: z.strictObject({ key: StorageKey }),
  }),
  z.strictObject({
    figment: z.literal(1),
    id: CallId,
    call: z.literal('storage.set'),
    args: z.strictObject({ key: StorageKey, value: JsonValue }),
  }),
  z.strictObject({
    figment: z.literal(1),
    id: CallId,
    call: z.literal('lifecycle.ready'),
    args: z.strictObject({}),
  }),
  z.strictObject({
    figment: z.literal(1),
    id: CallId,
    call: z.literal('diagnostics.error'),
    args: z.strictObject({ message: z.string().max(2000), stack: z.string().max(8000).optional() }),
  }),
  /** One position fix, after the person allowed it: `{ latitude, longitude, accuracyMeters, altitude, timestamp }`. */
  z.strictObject({
    figment: z.literal(1),
    id: CallId,
    call: z.literal('sensors.location'),
    args: z.strictObject({}),
  }),
]);
export type FrameCall = z.infer<typeof FrameCall>;

export const ShellReply = z.discriminatedUnion('ok', [
  z.strictObject({ figment: z.literal(1), id: CallId, ok: z.literal(true), result: JsonValue.nullable() }),
  z.strictObject({ figment: z.literal(1), id: CallId, ok: z.literal(false), error: ErrorBody }),
]);
export type ShellReply = z.infer<typeof ShellReply>;
