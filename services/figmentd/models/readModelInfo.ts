import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';

/** What `figment models info` shows about a GGUF file. */
export interface ModelInfo {
  file: string;
  sizeBytes: number;
  ggufVersion: number;
  architecture: string;
  name: string | null;
  /** Quantisation, e.g. "MOSTLY_Q4_K_M" or "ALL_F32"; null when the file does not say. */
  fileType: string | null;
  contextLength: number | null;
  embeddingLength: number | null;
  blockCount: number | null;
  vocabularySize: number | null;
  hasChatTemplate: boolean;
  licence: string | null;
  tensorCount: number;
  /** Parameters counted from the tensor shapes. */
  parameterCount: number;
}

/**
 * Reads a GGUF file's header with node-llama-cpp's readGgufFileInfo: the
 * weights are never loaded. A file that is not GGUF is a ModelLoad error.
 */
export async function readModelInfo(path: string): Promise<ModelInfo> {
  let sizeBytes: number;
  try {
    sizeBytes = statSync(path).size;
  } catch {
    throw new FigmentError(ErrorCode.NotFound, `there is no file at ${path}`);
  }
  const { readGgufFileInfo, GgufFileType } = await import('node-llama-cpp');
  let info: Awaited<ReturnType<typeof readGgufFileInfo>>;
  try {
    info = await readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false });
  } catch (error) {
    throw new FigmentError(
      ErrorCode.ModelLoad,
      `${path} is not a readable GGUF file: ${(error as Error).message}`,
    );
  }
  const general = info.metadata.general;
  const arch = info.architectureMetadata as Record<string, unknown>;
  const tokenizer = info.metadata.tokenizer as
    | { ggml?: { tokens?: readonly unknown[] }; chat_template?: string }
    | undefined;
  const fileType = general.file_type;
  const number = (value: unknown): number | null => (typeof value === 'number' ? value : null);
  return {
    file: basename(path),
    sizeBytes,
    ggufVersion: info.version,
    architecture: general.architecture,
    name: general.name ?? null,
    fileType: fileType === undefined ? null : (GgufFileType[fileType] ?? String(fileType)),
    contextLength: number(arch.context_length),
    embeddingLength: number(arch.embedding_length),
    blockCount: number(arch.block_count),
    vocabularySize: tokenizer?.ggml?.tokens?.length ?? null,
    hasChatTemplate: typeof tokenizer?.chat_template === 'string',
    licence: general.license ?? general['license.name'] ?? null,
    tensorCount: info.tensorCount.valueOf() as number,
    parameterCount: (info.tensorInfo ?? []).reduce(
      (sum, tensor) => sum + tensor.dimensions.reduce<number>((product, d) => product * Number(d), 1),
      0,
    ),
  };
}
