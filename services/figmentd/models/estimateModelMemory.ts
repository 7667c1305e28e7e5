import { statSync } from 'node:fs';
import type { Llama } from 'node-llama-cpp';

/** What loading a GGUF with one context will take, in bytes. */
export interface ModelMemoryEstimate {
  /** The weights: the file's size (llama.cpp maps it whole) or the tensors' size if larger. */
  weightsBytes: number;
  /** The context: KV cache and compute buffers for `contextSize` tokens. */
  contextBytes: number;
  totalBytes: number;
}

/**
 * Estimates memory from the GGUF header alone (nothing is loaded), using
 * node-llama-cpp's own resource insights for the context.
 */
export async function estimateModelMemory(
  llama: Llama,
  modelPath: string,
  contextSize: number,
): Promise<ModelMemoryEstimate> {
  const { readGgufFileInfo, GgufInsights } = await import('node-llama-cpp');
  const info = await readGgufFileInfo(modelPath);
  const insights = await GgufInsights.from(info, llama);
  const weightsBytes = Math.max(statSync(modelPath).size, insights.modelSize);
  const context = insights.estimateContextResourceRequirements({
    contextSize,
    modelGpuLayers: 0,
    sequences: 1,
  });
  const contextBytes = context.cpuRam + context.gpuVram;
  return { weightsBytes, contextBytes, totalBytes: weightsBytes + contextBytes };
}
