import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import { LlamaBackend, type ModelLogger } from './LlamaBackend.js';
import { OpenAiBackend } from './OpenAiBackend.js';
import { RoutedBackend, type RoutingPolicy } from './RoutedBackend.js';
import { ScriptedBackend } from './ScriptedBackend.js';
import type { ModelBackend, PrivacyLabel } from './types.js';

/** The model settings createBackend needs (figmentd's `model` config section, with the path resolved). */
export interface BackendConfig {
  backend: 'llama' | 'scripted';
  /** The GGUF file, for backend 'llama'. */
  path: string;
  /** The JSON file of scripted responses, for backend 'scripted'. */
  scriptPath?: string;
  /** Pause before each scripted chunk, in ms. Defaults to 0. */
  scriptDelayMs?: number;
  threads: number | 'auto';
  gpu: 'auto' | false;
  contextSize: number | 'auto';
  /** Unload the local model after this many idle ms. Defaults to never. */
  idleUnloadMs?: number | undefined;
  /** An OpenAI-compatible server for 'shareable' requests. Defaults to none. */
  remote?:
    | {
        baseUrl: string;
        model: string;
        apiKeyEnv?: string | undefined;
        timeoutMs: number;
        policy: RoutingPolicy;
        defaultPrivacy?: PrivacyLabel | undefined;
      }
    | undefined;
}

/**
 * Builds the configured backend, routed through a remote one when
 * `remote` is set. Nothing is loaded yet: call load() when the model is wanted.
 */
export function createBackend(config: BackendConfig, logger?: ModelLogger, env = process.env): ModelBackend {
  const local = createLocalBackend(config, logger);
  if (!config.remote) return local;
  const { baseUrl, model, apiKeyEnv, timeoutMs, policy, defaultPrivacy } = config.remote;
  const apiKey = apiKeyEnv ? env[apiKeyEnv] : undefined;
  if (apiKeyEnv && !apiKey) {
    throw new FigmentError(ErrorCode.Config, `model.remote.apiKeyEnv names ${apiKeyEnv}, which is not set`);
  }
  logger?.info('remote model configured', { baseUrl, model, policy });
  const remote = new OpenAiBackend({ baseUrl, model, timeoutMs, ...(apiKey ? { apiKey } : {}) });
  return new RoutedBackend({
    local,
    remote,
    policy,
    ...(defaultPrivacy ? { defaultPrivacy } : {}),
    ...(logger ? { logger } : {}),
  });
}

function createLocalBackend(config: BackendConfig, logger?: ModelLogger): ModelBackend {
  if (config.backend === 'scripted') {
    if (!config.scriptPath) {
      throw new FigmentError(
        ErrorCode.Config,
        "model.scriptPath is required when model.backend is 'scripted'",
      );
    }
    logger?.info('using scripted model responses', { scriptPath: config.scriptPath });
    return ScriptedBackend.fromFile(config.scriptPath, { delayMs: config.scriptDelayMs ?? 0 });
  }
  return new LlamaBackend({
    modelPath: config.path,
    threads: config.threads,
    gpu: config.gpu,
    contextSize: config.contextSize,
    ...(config.idleUnloadMs ? { idleUnloadMs: config.idleUnloadMs } : {}),
    ...(logger ? { logger } : {}),
  });
}
