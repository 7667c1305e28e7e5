import { statSync } from 'node:fs';
import type { Llama, LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import { chooseThreads } from './chooseThreads.js';
import { detectHardware } from './detectHardware.js';
import type { Embedder } from './types.js';

export interface LlamaEmbedderOptions {
  /** An embedding GGUF (e.g. nomic-embed-text). */
  modelPath: string;
  /** Defaults to 'auto' (chooseThreads). */
  threads?: number | 'auto';
  /** Defaults to 'auto'. */
  gpu?: 'auto' | false;
  /** Tokens per text; longer texts are cut to this. Defaults to 512, at most the model's trained length. */
  contextSize?: number;
}

/**
 * Embeddings from a GGUF model with node-llama-cpp. Vectors are scaled to
 * unit length, so cosine similarity is a dot product and L2 distance orders
 * the same way. Texts are embedded one at a time (one context).
 */
export class LlamaEmbedder implements Embedder {
  private tail: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaEmbeddingContext,
    readonly dimensions: number,
    private readonly maxTokens: number,
  ) {}

  /** Loads the model; a missing file is FigmentError(NoEmbeddingModel), a bad one ModelLoad. */
  static async load(options: LlamaEmbedderOptions): Promise<LlamaEmbedder> {
    if (!isFile(options.modelPath)) {
      throw new FigmentError(
        ErrorCode.NoEmbeddingModel,
        `no embedding model at ${options.modelPath}: "figment models pull nomic-embed-text-v1.5" and "figment models use" it, or set embedding.path`,
      );
    }
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    const llama = await getLlama({
      gpu: options.gpu ?? 'auto',
      build: 'never',
      logLevel: LlamaLogLevel.error,
    });
    try {
      const threads =
        options.threads === undefined || options.threads === 'auto'
          ? chooseThreads({ physicalCores: (await detectHardware()).physicalCores, gpu: llama.gpu })
          : options.threads;
      llama.maxThreads = threads;
      const model = await llama.loadModel({ modelPath: options.modelPath });
      const contextSize = Math.min(options.contextSize ?? 512, model.trainContextSize);
      const context = await model.createEmbeddingContext({ contextSize, threads });
      const dimensions = model.embeddingVectorSize;
      return new LlamaEmbedder(llama, model, context, dimensions, contextSize);
    } catch (error) {
      await llama.dispose().catch(() => undefined);
      throw new FigmentError(
        ErrorCode.ModelLoad,
        `could not load the embedding model at ${options.modelPath}: ${(error as Error).message}`,
      );
    }
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    if (this.disposed)
      return Promise.reject(new FigmentError(ErrorCode.Internal, 'the embedder has been shut down'));
    const run = this.tail.then(async () => {
      const vectors: Float32Array[] = [];
      for (const text of texts) {
        // Cut to what the context holds rather than fail: the start of a text says most about it.
        // Room is kept for the BOS/EOS/separator tokens node-llama-cpp adds.
        const tokens = this.model.tokenize(text).slice(0, this.maxTokens - 8);
        // An empty text has no meaning to embed: a zero vector matches nothing.
        if (tokens.length === 0) {
          vectors.push(new Float32Array(this.dimensions));
          continue;
        }
        const { vector } = await this.context.getEmbeddingFor(tokens);
        vectors.push(normalise(vector));
      }
      return vectors;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.tail;
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}

function normalise(vector: readonly number[]): Float32Array {
  const length = Math.hypot(...vector) || 1;
  return Float32Array.from(vector, (value) => value / length);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
