import { ErrorCode, FigmentError } from '../../services/protocol/index.js';

/** Plain words for a person: what happened, and what the daemon said about it where that helps. */
export interface ErrorWords {
  title: string;
  detail: string;
}

const titles: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.NoModel]: 'Figment has no language model yet, so it cannot make apps.',
  [ErrorCode.ModelLoad]: 'The language model could not start.',
  [ErrorCode.ModelOutput]: 'The model wrote something that is not a working app.',
  [ErrorCode.Validation]: 'The app the model wrote did not pass Figment’s safety checks.',
  [ErrorCode.Cancelled]: 'Stopped. Nothing was changed.',
  [ErrorCode.NotFound]: 'That app is no longer there.',
  [ErrorCode.Busy]: 'Figment is busy with other work.',
  [ErrorCode.Limit]: 'That took too long or was too big.',
  [ErrorCode.BadMessage]: 'Figment could not read that request.',
  [ErrorCode.Unauthorized]: 'Figment did not accept this screen.',
};

/** Turns any error into words fit for the screen; unknown failures get a calm general sentence. */
export function describeError(error: unknown): ErrorWords & { code: ErrorCode } {
  const coded = FigmentError.from(error);
  const title = titles[coded.code] ?? 'That did not work.';
  // The daemon's own message often says what to do (which model file, which command).
  const detail = coded.message === title ? '' : coded.message;
  return { code: coded.code, title, detail };
}
