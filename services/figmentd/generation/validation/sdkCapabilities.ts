import type { Capability } from '../../../protocol/bundle.js';

/**
 * Which manifest capability each part of the SDK needs. A call under a path
 * listed here is refused unless the manifest declares its capability; paths
 * not listed need none (figment.ready, figment.version, theme, lifecycle).
 */
export const sdkCapabilities: ReadonlyArray<{ path: string; capability: string }> = [
  { path: 'storage', capability: 'storage' },
  { path: 'sensors.location', capability: 'location' },
  { path: 'sensors.camera', capability: 'camera' },
  { path: 'sensors.microphone', capability: 'microphone' },
];

/** The capability a dotted SDK path (after `figment.`) needs, if any. */
export function capabilityFor(path: string): Capability | string | undefined {
  return sdkCapabilities.find((entry) => path === entry.path || path.startsWith(`${entry.path}.`))
    ?.capability;
}
