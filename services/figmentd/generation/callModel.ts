import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import type { GenerateRequest, GenerateResult, ModelBackend } from '../models/types.js';

export interface ModelLimits {
  /** Upper bound on tokens for one answer. */
  maxTokens: number;
  /** Upper bound on one answer, in ms. */
  timeoutMs: number;
}

/**
 * One bounded model call: refuses when there is no model, and turns the time
 * limit into a Limit error with words a person understands.
 */
export async function callModel(
  backend: ModelBackend,
  request: Omit<GenerateRequest, 'maxTokens'>,
  limits: ModelLimits,
): Promise<GenerateResult> {
  const status = backend.status();
  if (status.state === 'missing')
    throw new FigmentError(ErrorCode.NoModel, status.message ?? 'no model configured');
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const { signal } = request;
  try {
    return await backend.generate({
      ...request,
      maxTokens: limits.maxTokens,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (error) {
    if (timeout.aborted && !signal?.aborted) {
      throw new FigmentError(
        ErrorCode.Limit,
        `The model took longer than ${limits.timeoutMs / 1000} s, the limit for one answer.`,
      );
    }
    throw error;
  }
}
