import { existsSync } from 'node:fs';
import { chooseThreads } from './chooseThreads.js';
import { chooseTier } from './chooseTier.js';
import { detectHardware, type HardwareFacts } from './detectHardware.js';
import { type CatalogueEntry, type HardwareTier, MODEL_CATALOGUE } from './modelCatalogue.js';
import { type ModelInfo, readModelInfo } from './readModelInfo.js';

/** What `figment doctor` reports: the machine, how the model will run on it, and what to install. */
export interface DoctorReport {
  hardware: HardwareFacts;
  /** node-llama-cpp's compute backend: 'cuda', 'vulkan', 'metal', or false (CPU). */
  gpu: false | string;
  /** GPU backends with a prebuilt binary that works here. */
  supportedGpuTypes: string[];
  vramBytes: number;
  threads: number;
  tier: HardwareTier;
  recommended: CatalogueEntry[];
  model: { path: string; present: boolean; info?: ModelInfo; error?: string };
}

/** Probes the machine as figmentd would: the same GPU choice and thread count. */
export async function collectDoctorReport(options: {
  modelPath: string;
  gpu?: 'auto' | false;
}): Promise<DoctorReport> {
  const { getLlama, getLlamaGpuTypes, LlamaLogLevel } = await import('node-llama-cpp');
  const hardware = await detectHardware();
  const llama = await getLlama({ gpu: options.gpu ?? 'auto', build: 'never', logLevel: LlamaLogLevel.error });
  try {
    const vramBytes = llama.gpu === false ? 0 : (await llama.getVramState()).total;
    const tier = chooseTier(hardware, llama.gpu, vramBytes);
    const present = existsSync(options.modelPath);
    const model: DoctorReport['model'] = { path: options.modelPath, present };
    if (present) {
      try {
        model.info = await readModelInfo(options.modelPath);
      } catch (error) {
        model.error = (error as Error).message;
      }
    }
    return {
      hardware,
      gpu: llama.gpu,
      supportedGpuTypes: (await getLlamaGpuTypes('supported')).filter((type) => type !== false),
      vramBytes,
      threads: chooseThreads({ physicalCores: hardware.physicalCores, gpu: llama.gpu }),
      tier,
      recommended: MODEL_CATALOGUE.filter((entry) => entry.tiers.includes(tier)),
      model,
    };
  } finally {
    await llama.dispose();
  }
}
