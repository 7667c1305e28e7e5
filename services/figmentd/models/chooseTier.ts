import type { HardwareFacts } from './detectHardware.js';
import type { HardwareTier } from './modelCatalogue.js';

const GIB = 1024 * 1024 * 1024;

/**
 * The catalogue tier for this machine: 'gpu' with a discrete GPU that
 * node-llama-cpp can use and 8 GiB of video memory; 'mini-pc' with 12 GiB of
 * RAM or more (an integrated GPU shares it); otherwise 'board'.
 */
export function chooseTier(hardware: HardwareFacts, gpu: false | string, vramBytes: number): HardwareTier {
  if (gpu !== false && vramBytes >= 8 * GIB) return 'gpu';
  if (hardware.totalMemoryBytes >= 12 * GIB) return 'mini-pc';
  return 'board';
}
