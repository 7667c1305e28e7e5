import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Prepares a fresh Chromium profile for the browser host. Network prediction
 * is turned off: with it on, Chromium opens a connection (and looks up the
 * name) for a frame navigation before the frame's CSP refuses it, which
 * would let an app leak a host name. (The image sets the same as the
 * managed policy NetworkPredictionOptions = 2.)
 */
export function writeBrowserProfile(profileDir: string): void {
  mkdirSync(join(profileDir, 'Default'), { recursive: true });
  const preferences = { net: { network_prediction_options: 2 } };
  writeFileSync(join(profileDir, 'Default', 'Preferences'), JSON.stringify(preferences));
}
