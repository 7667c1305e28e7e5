import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import { formatBytes } from './formatBytes.js';

/** Memory a model may use on this machine. */
export interface MemoryBudget {
  /** Installed RAM in bytes. */
  totalMemoryBytes: number;
  /** Video memory node-llama-cpp can offload to, in bytes; 0 on CPU only. */
  gpuMemoryBytes: number;
}

/** What the OS, the shell and the daemon keep for themselves, whatever the model. */
export const RESERVED_BYTES = 1024 * 1024 * 1024;

/**
 * Throws FigmentError(ModelTooLarge) when a model needing `requiredBytes`
 * would not fit beside the system; the message says what to do instead.
 */
export function checkModelFits(what: string, requiredBytes: number, budget: MemoryBudget): void {
  const available = budget.totalMemoryBytes + budget.gpuMemoryBytes - RESERVED_BYTES;
  if (requiredBytes <= available) return;
  throw new FigmentError(
    ErrorCode.ModelTooLarge,
    `${what} needs about ${formatBytes(requiredBytes)} of memory, but this machine has ` +
      `${formatBytes(Math.max(0, available))} to spare (${formatBytes(budget.totalMemoryBytes)} RAM` +
      `${budget.gpuMemoryBytes > 0 ? ` + ${formatBytes(budget.gpuMemoryBytes)} GPU memory` : ''}, ` +
      `less ${formatBytes(RESERVED_BYTES)} for the system). Choose a smaller model: ` +
      '"figment models list" marks the ones that fit this machine.',
    { requiredBytes, availableBytes: available },
  );
}
