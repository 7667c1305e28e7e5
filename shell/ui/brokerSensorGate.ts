import { ErrorCode, FigmentError, type JsonValue } from '../../services/protocol/index.js';
import type { DaemonClient } from './DaemonClient.js';
import type { LiveStreams } from './LiveStreams.js';
import type { SensorGate } from './SensorGate.js';

/**
 * The sensor seam wired to figmentd's broker. Location: figmentd asks the
 * person (a consent card) and reads GeoClue2. Camera and microphone: the
 * broker grants first, then the shell captures on the app's behalf (the
 * frame never gets a device) and registers the stream, so a revocation
 * stops it at once and the app gets a refusal instead of the capture.
 */
export function brokerSensorGate(client: DaemonClient, streams: LiveStreams): SensorGate {
  return async ({ app, sensor, durationMs, reason = '' }) => {
    if (sensor === 'location') {
      return await client.request('sensors.location', { appId: app.id, reason });
    }
    await client.request('broker.request', { appId: app.id, capability: sensor, reason });
    await client.request('broker.use', { appId: app.id, capability: sensor });
    const stream = await navigator.mediaDevices
      .getUserMedia(sensor === 'camera' ? { video: true } : { audio: true })
      .catch((error: unknown) => {
        throw new FigmentError(ErrorCode.Unavailable, `The ${sensor} could not be started: ${String(error)}`);
      });
    const forget = streams.add(app.id, sensor, stream);
    try {
      const result = sensor === 'camera' ? await still(stream) : await record(stream, durationMs ?? 3000);
      if (stream.getTracks().some((track) => track.readyState === 'ended')) throw revoked(app.name, sensor);
      return result;
    } finally {
      forget();
      for (const track of stream.getTracks()) track.stop();
    }
  };
}

async function still(stream: MediaStream): Promise<JsonValue> {
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = stream;
  await video.play();
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')?.drawImage(video, 0, 0);
  video.srcObject = null;
  return { image: canvas.toDataURL('image/jpeg', 0.85), width: canvas.width, height: canvas.height };
}

function record(stream: MediaStream, durationMs: number): Promise<JsonValue> {
  return new Promise((resolve, reject) => {
    const recorder = new MediaRecorder(stream);
    const chunks: Blob[] = [];
    const started = performance.now();
    recorder.addEventListener('dataavailable', (event) => chunks.push(event.data));
    recorder.addEventListener('error', () =>
      reject(new FigmentError(ErrorCode.Unavailable, 'Recording failed.')),
    );
    recorder.addEventListener('stop', () => {
      const reader = new FileReader();
      reader.addEventListener('load', () =>
        resolve({ audio: String(reader.result), durationMs: Math.round(performance.now() - started) }),
      );
      reader.readAsDataURL(new Blob(chunks, { type: recorder.mimeType }));
    });
    // A revoked grant stops the track, which stops the recorder early.
    for (const track of stream.getTracks()) {
      track.addEventListener('ended', () => recorder.state !== 'inactive' && recorder.stop());
    }
    recorder.start();
    setTimeout(() => recorder.state !== 'inactive' && recorder.stop(), durationMs);
  });
}

function revoked(name: string, sensor: string): FigmentError {
  return new FigmentError(
    ErrorCode.NotGranted,
    `“${name}” may no longer use the ${sensor}: it was taken back.`,
  );
}
