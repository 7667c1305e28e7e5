import { ErrorCode, FigmentError } from '../../services/protocol/index.js';
import { english, type Words } from './Language.js';
import type { MessageKey } from './shellMessages.js';

/** Plain words for a person: what happened, and what the daemon said about it where that helps. */
export interface ErrorWords {
  title: string;
  detail: string;
}

const titles: Partial<Record<ErrorCode, MessageKey>> = {
  [ErrorCode.NoModel]: 'error.noModel',
  [ErrorCode.ModelLoad]: 'error.modelLoad',
  [ErrorCode.ModelOutput]: 'error.modelOutput',
  [ErrorCode.Validation]: 'error.validation',
  [ErrorCode.Cancelled]: 'error.cancelled',
  [ErrorCode.NotFound]: 'error.notFound',
  [ErrorCode.Busy]: 'error.busy',
  [ErrorCode.Limit]: 'error.limit',
  [ErrorCode.BadMessage]: 'error.badMessage',
  [ErrorCode.Unauthorized]: 'error.unauthorized',
};

/** Turns any error into words fit for the screen, in `words`' language; unknown failures get a calm general sentence. */
export function describeError(error: unknown, words: Words = english): ErrorWords & { code: ErrorCode } {
  const coded = FigmentError.from(error);
  const key = titles[coded.code] ?? 'error.other';
  const title = words.t(key);
  // The daemon's own message often says what to do (which model file, which command).
  const detail = coded.message === english.t(key) ? '' : coded.message;
  return { code: coded.code, title, detail };
}
