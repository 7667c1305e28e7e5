/** What the thread choice depends on. */
export interface ThreadFacts {
  /** Physical cores (not hardware threads), as systeminformation reports them. */
  physicalCores: number;
  /** The GPU backend node-llama-cpp uses ('cuda', 'vulkan', 'metal'), or false for CPU only. */
  gpu: false | string;
}

/** More threads than this stop paying off: generation is bound by memory bandwidth, not arithmetic. */
const MAX_CPU_THREADS = 8;
/** With the layers on a GPU, CPU threads only feed it; more of them only spin. */
const MAX_GPU_THREADS = 4;

/**
 * The thread count for node-llama-cpp's context.
 *
 * ggml's threads spin at a barrier after every operation, so a thread that
 * has no core of its own stalls all the others. Measured on a 2-core machine
 * (stories260K, greedy, 400 tokens, other work running): 1 thread ≈ 1,000
 * tok/s, 2 threads 10–85 tok/s, node-llama-cpp's default (4) 1–2 tok/s.
 * So we leave one core to the shell and the daemon's event loop and never
 * ask for more threads than there are free cores.
 */
export function chooseThreads(facts: ThreadFacts): number {
  const cores = Number.isFinite(facts.physicalCores) ? Math.floor(facts.physicalCores) : 1;
  const free = Math.max(1, cores - 1);
  return Math.min(free, facts.gpu === false ? MAX_CPU_THREADS : MAX_GPU_THREADS);
}
