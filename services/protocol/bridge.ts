import { z } from 'zod';
import { ErrorBody, JsonValue, StorageKey } from './messages.js';
import { Theme } from './theme.js';

/**
 * Messages between an app frame (the Figment SDK) and the shell. The shell
 * attributes every call to the app of the frame it came from (by source
 * window), so no message carries an app id.
 */
export const SDK_VERSION = '1.2.0';

const CallId = z.number().int().nonnegative();

/** One call shape: `{ figment: 1, id, call, args }`, nothing more. */
function frameCall<C extends string, A extends z.ZodType>(call: C, args: A) {
  return z.strictObject({ figment: z.literal(1), id: CallId, call: z.literal(call), args });
}

/** The sensors an app may ask the broker for; each needs its capability and the person's grant. */
export const SensorName = z.enum(['location', 'camera', 'microphone']);
export type SensorName = z.infer<typeof SensorName>;

/** Longest microphone recording one call may ask for. */
export const MAX_RECORDING_MS = 10_000;

/** Why the app wants a sensor, in its own words: the consent card shows them as the app's. */
const SensorReason = z.string().max(200).optional();

export const FrameCall = z.discriminatedUnion('call', [
  frameCall('storage.get', z.strictObject({ key: StorageKey })),
  frameCall('storage.set', z.strictObject({ key: StorageKey, value: JsonValue })),
  frameCall('lifecycle.ready', z.strictObject({})),
  /** The answer to the shell's heartbeat, with what the frame measured of itself. */
  frameCall(
    'lifecycle.heartbeat',
    z.strictObject({
      seq: z.number().int().nonnegative(),
      domNodes: z.number().int().nonnegative(),
      heapBytes: z.number().int().nonnegative().optional(),
    }),
  ),
  frameCall(
    'diagnostics.error',
    z.strictObject({
      kind: z.enum(['error', 'rejection']).optional(),
      message: z.string().max(2000),
      stack: z.string().max(8000).optional(),
    }),
  ),
  /** One position fix: `{ latitude, longitude, accuracyMeters, timestamp }`. */
  frameCall('sensors.location', z.strictObject({ reason: SensorReason })),
  /** One still picture: `{ image: 'data:image/jpeg;base64,…', width, height }`. */
  frameCall('sensors.camera', z.strictObject({ reason: SensorReason })),
  /** A short recording: `{ audio: 'data:audio/webm;base64,…', durationMs }`. */
  frameCall(
    'sensors.microphone',
    z.strictObject({ durationMs: z.number().int().min(100).max(MAX_RECORDING_MS), reason: SensorReason }),
  ),
]);
export type FrameCall = z.infer<typeof FrameCall>;
export type FrameCallName = FrameCall['call'];

export const ShellReply = z.discriminatedUnion('ok', [
  z.strictObject({ figment: z.literal(1), id: CallId, ok: z.literal(true), result: JsonValue.nullable() }),
  z.strictObject({ figment: z.literal(1), id: CallId, ok: z.literal(false), error: ErrorBody }),
]);
export type ShellReply = z.infer<typeof ShellReply>;

/** What the shell tells a frame unasked: heartbeats to answer, and the theme when it changes. */
export const ShellEvent = z.discriminatedUnion('event', [
  z.strictObject({
    figment: z.literal(1),
    event: z.literal('heartbeat'),
    seq: z.number().int().nonnegative(),
  }),
  z.strictObject({ figment: z.literal(1), event: z.literal('theme'), theme: Theme }),
]);
export type ShellEvent = z.infer<typeof ShellEvent>;
