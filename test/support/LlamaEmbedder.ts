import { getLlama, type Llama, type LlamaEmbeddingContext, type LlamaModel } from 'node-llama-cpp';
import type { Embedder } from '../../services/figmentd/store/types.js';

/**
 * A real embedder on node-llama-cpp's embedding context, for tests: the
 * smallest wiring of a GGUF model to the store's Embedder interface, until
 * figmentd's own embedding backend (issue 3) replaces it. With stories260K
 * the vectors are real but weak (64 numbers from a story model).
 */
export class LlamaEmbedder implements Embedder {
  readonly name: string;
  readonly dimensions: number;
  readonly #llama: Llama;
  readonly #model: LlamaModel;
  readonly #context: LlamaEmbeddingContext;

  private constructor(name: string, llama: Llama, model: LlamaModel, context: LlamaEmbeddingContext) {
    this.name = name;
    this.dimensions = model.embeddingVectorSize;
    this.#llama = llama;
    this.#model = model;
    this.#context = context;
  }

  static async load(modelPath: string): Promise<LlamaEmbedder> {
    const llama = await getLlama({ gpu: false });
    const model = await llama.loadModel({ modelPath });
    const context = await model.createEmbeddingContext({ contextSize: 512 });
    return new LlamaEmbedder(modelPath.split('/').at(-1) ?? 'gguf', llama, model, context);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (const text of texts) {
      const embedding = await this.#context.getEmbeddingFor(text);
      vectors.push(Float32Array.from(embedding.vector));
    }
    return vectors;
  }

  async dispose(): Promise<void> {
    await this.#context.dispose();
    await this.#model.dispose();
    await this.#llama.dispose();
  }
}
