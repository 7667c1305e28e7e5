/**
 * The machines Figment recommends models for: a small ARM board (CPU only,
 * 4–8 GB), a mini PC (integrated GPU, 16 GB or more) and a PC with a discrete
 * GPU (8 GB of video memory or more).
 */
export type HardwareTier = 'board' | 'mini-pc' | 'gpu';

export interface CatalogueEntry {
  /** Short name used on the command line: `figment models pull <name>`. */
  name: string;
  /** What the model is for: writing apps, or embeddings for the context store. */
  purpose: 'generation' | 'embedding';
  /** The tiers this model is recommended for. */
  tiers: readonly HardwareTier[];
  /** File name on disk. */
  file: string;
  url: string;
  /** Size on the publisher's page, rounded; used for the memory check before a download. */
  approxBytes: number;
  /** Exact size in bytes, checked after the download; null where not yet recorded (then the server's length is checked). */
  sizeBytes: number | null;
  /** sha256 of the file; null where not yet recorded (then the computed sum is printed and kept beside the file). */
  sha256: string | null;
  licence: string;
  description: string;
}

const GB = 1_000_000_000;
const MB = 1_000_000;

/**
 * Real published GGUF files. Sizes are the rounded figures of the publishers'
 * pages; the exact sizes and checksums are to be filled in from those pages
 * (they could not be read where this list was written, offline).
 */
export const MODEL_CATALOGUE: readonly CatalogueEntry[] = [
  {
    name: 'qwen2.5-coder-1.5b',
    purpose: 'generation',
    tiers: ['board'],
    file: 'Qwen2.5-Coder-1.5B-Instruct-Q4_K_M.gguf',
    url: 'https://huggingface.co/bartowski/Qwen2.5-Coder-1.5B-Instruct-GGUF/resolve/main/Qwen2.5-Coder-1.5B-Instruct-Q4_K_M.gguf',
    approxBytes: 0.99 * GB,
    sizeBytes: null,
    sha256: null,
    licence: 'Apache-2.0',
    description: 'Qwen2.5 Coder 1.5B Instruct, 4-bit: small apps on an ARM board or an old PC',
  },
  {
    name: 'qwen2.5-coder-7b',
    purpose: 'generation',
    tiers: ['mini-pc'],
    file: 'Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf',
    url: 'https://huggingface.co/bartowski/Qwen2.5-Coder-7B-Instruct-GGUF/resolve/main/Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf',
    approxBytes: 4.68 * GB,
    sizeBytes: null,
    sha256: null,
    licence: 'Apache-2.0',
    description: 'Qwen2.5 Coder 7B Instruct, 4-bit: good apps on a mini PC with 16 GB',
  },
  {
    name: 'qwen2.5-coder-14b',
    purpose: 'generation',
    tiers: ['gpu'],
    file: 'Qwen2.5-Coder-14B-Instruct-Q4_K_M.gguf',
    url: 'https://huggingface.co/bartowski/Qwen2.5-Coder-14B-Instruct-GGUF/resolve/main/Qwen2.5-Coder-14B-Instruct-Q4_K_M.gguf',
    approxBytes: 8.99 * GB,
    sizeBytes: null,
    sha256: null,
    licence: 'Apache-2.0',
    description: 'Qwen2.5 Coder 14B Instruct, 4-bit: the best apps, on a discrete GPU with 12 GB or more',
  },
  {
    name: 'nomic-embed-text-v1.5-q4',
    purpose: 'embedding',
    tiers: ['board'],
    file: 'nomic-embed-text-v1.5.Q4_K_M.gguf',
    url: 'https://huggingface.co/nomic-ai/nomic-embed-text-v1.5-GGUF/resolve/main/nomic-embed-text-v1.5.Q4_K_M.gguf',
    approxBytes: 84 * MB,
    sizeBytes: null,
    sha256: null,
    licence: 'Apache-2.0',
    description: 'nomic-embed-text v1.5, 4-bit: 768-dimension embeddings for finding earlier apps',
  },
  {
    name: 'nomic-embed-text-v1.5',
    purpose: 'embedding',
    tiers: ['mini-pc', 'gpu'],
    file: 'nomic-embed-text-v1.5.Q8_0.gguf',
    url: 'https://huggingface.co/nomic-ai/nomic-embed-text-v1.5-GGUF/resolve/main/nomic-embed-text-v1.5.Q8_0.gguf',
    approxBytes: 146 * MB,
    sizeBytes: null,
    sha256: null,
    licence: 'Apache-2.0',
    description: 'nomic-embed-text v1.5, 8-bit: 768-dimension embeddings for finding earlier apps',
  },
];
