import { existsSync } from 'node:fs';
import { LlamaEmbedder } from './LlamaEmbedder.js';
import type { Embedder } from './types.js';

/** figmentd's `embedding` settings, path resolved. */
export interface EmbedderConfig {
  /** The embedding GGUF; absent: none is configured. */
  path?: string;
  /** Whether `path` was set by the person (true) or is the default link (false). */
  explicit: boolean;
  threads: number | 'auto';
  gpu: 'auto' | false;
}

/**
 * The embedder, or null when none is configured and the default link is
 * absent: then the context store finds apps by full-text search alone. A
 * path set explicitly but missing is FigmentError(NoEmbeddingModel), so a
 * typo is not silently read as "no embeddings".
 */
export async function createEmbedder(
  config: EmbedderConfig,
): Promise<(Embedder & { dispose(): Promise<void> }) | null> {
  if (!config.path || (!config.explicit && !existsSync(config.path))) return null;
  return LlamaEmbedder.load({ modelPath: config.path, threads: config.threads, gpu: config.gpu });
}
