import type { DaemonClient } from './DaemonClient.js';

type Capability = 'camera' | 'microphone';

/**
 * The camera and microphone streams the shell holds for apps. When the
 * broker says a grant was revoked, expired or ended with the app, the
 * shell stops that app's tracks at once: a revoked grant never keeps a
 * camera running.
 */
export class LiveStreams {
  readonly #streams = new Map<string, Set<MediaStream>>();

  constructor(client: DaemonClient) {
    client.on('broker.grantsChanged', ({ appId, capability, change }) => {
      if (capability === 'location' || change === 'granted' || change === 'used') return;
      this.stop(appId, capability);
    });
  }

  /** Remembers a stream taken for an app; returns the function that forgets it (after the app is done). */
  add(appId: string, capability: Capability, stream: MediaStream): () => void {
    const key = `${appId} ${capability}`;
    let set = this.#streams.get(key);
    if (!set) {
      set = new Set();
      this.#streams.set(key, set);
    }
    set.add(stream);
    return () => set.delete(stream);
  }

  /** Stops every track of an app's streams for a capability. */
  stop(appId: string, capability: Capability): number {
    const key = `${appId} ${capability}`;
    let stopped = 0;
    for (const stream of this.#streams.get(key) ?? []) {
      for (const track of stream.getTracks()) {
        track.stop();
        // stop() fires no 'ended' of its own; whoever records from the track must hear of it.
        track.dispatchEvent(new Event('ended'));
        stopped++;
      }
    }
    this.#streams.delete(key);
    return stopped;
  }
}
