import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import { LlamaBackend, type ModelLogger } from './LlamaBackend.js';
import { ScriptedBackend } from './ScriptedBackend.js';
import type { ModelBackend } from './types.js';

/** The model settings createBackend needs (figmentd's `model` config section, with the path resolved). */
export interface BackendConfig {
  backend: 'llama' | 'scripted';
  /** The GGUF file, for backend 'llama'. */
  path: string;
  /** The JSON file of scripted responses, for backend 'scripted'. */
  scriptPath?: string;
  threads: number | 'auto';
  gpu: 'auto' | false;
  contextSize: number | 'auto';
}

/** Builds the configured backend. Nothing is loaded yet: call load() when the model is wanted. */
export function createBackend(config: BackendConfig, logger?: ModelLogger): ModelBackend {
  if (config.backend === 'scripted') {
    if (!config.scriptPath) {
      throw new FigmentError(
        ErrorCode.Config,
        "model.scriptPath is required when model.backend is 'scripted'",
      );
    }
    logger?.info('using scripted model responses', { scriptPath: config.scriptPath });
    return ScriptedBackend.fromFile(config.scriptPath);
  }
  return new LlamaBackend({
    modelPath: config.path,
    threads: config.threads,
    gpu: config.gpu,
    contextSize: config.contextSize,
    ...(logger ? { logger } : {}),
  });
}
