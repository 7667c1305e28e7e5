import { ErrorCode } from '../../services/protocol/index.js';

/**
 * The one obvious thing to do after a failed request:
 * - `keep`: a change failed, and the app stays as it was (figmentd keeps the last good version);
 * - `retry`: the same words again (a busy or slow moment, a model that wrote something unusable);
 * - `rephrase`: the words themselves were the problem (too big, unreadable);
 * - `system`: nothing can work until the model is set up (the System page says how);
 * - `none`: it was stopped on purpose.
 */
export type NextStep = 'keep' | 'retry' | 'rephrase' | 'system' | 'none';

export function nextStep(code: ErrorCode, changingAnApp: boolean): NextStep {
  switch (code) {
    case ErrorCode.Cancelled:
      return 'none';
    case ErrorCode.Validation:
    case ErrorCode.ModelOutput:
      return changingAnApp ? 'keep' : 'retry';
    case ErrorCode.BadMessage:
    case ErrorCode.Limit:
      return 'rephrase';
    case ErrorCode.NoModel:
    case ErrorCode.ModelLoad:
    case ErrorCode.ModelTooLarge:
      return 'system';
    default:
      return 'retry';
  }
}
