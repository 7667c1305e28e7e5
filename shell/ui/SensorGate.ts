import type { AppSummary, JsonValue, SensorName } from '../../services/protocol/index.js';
import { ErrorCode, FigmentError } from '../../services/protocol/index.js';

/** One sensor request from an app frame, already attributed to the app the shell opened there. */
export interface SensorRequest {
  app: AppSummary;
  sensor: SensorName;
  /** For the microphone: how long to record. */
  durationMs?: number;
  /** Why the app wants it, in its own words (empty when it gave none). */
  reason?: string;
}

/**
 * The single seam between app frames and the sensor broker: given an app's
 * request, ask for the person's consent and the broker's reading, or throw a
 * coded FigmentError. The broker (io.figment.Broker1) plugs in here.
 */
export type SensorGate = (request: SensorRequest) => Promise<JsonValue>;

const sensorWords: Record<SensorName, string> = {
  location: 'your location',
  camera: 'the camera',
  microphone: 'the microphone',
};

/** The default gate: deny by default, so until the broker is wired every sensor is refused. */
export const denyAllSensors: SensorGate = async ({ app, sensor }) => {
  throw new FigmentError(
    ErrorCode.NotGranted,
    `“${app.name}” may not use ${sensorWords[sensor]}: you have not allowed it.`,
  );
};
