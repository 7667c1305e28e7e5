import type { Logger } from '../log/Logger.js';
import type { ModelBackend } from '../models/types.js';
import { callModel, type ModelLimits } from './callModel.js';
import type { PromptSet } from './PromptSet.js';
import { parseModelJson, QuestionsAnswer } from './parseModelJson.js';
import { MAX_QUESTIONS, questionsJsonSchema } from './questionsJsonSchema.js';

export interface Question {
  id: string;
  question: string;
  options: string[];
  default: string;
}

export interface ClarifierOptions {
  backend: ModelBackend;
  prompts: PromptSet;
  logger: Logger;
  /** Bounds on the model's answer. Defaults to 400 tokens and 60 s. */
  limits?: ModelLimits;
}

/**
 * Asks the model which short questions would change the app (at most three,
 * each with offered answers and a default). Questions are a help, not a gate:
 * if the model cannot say, none are asked.
 */
export class Clarifier {
  constructor(private readonly options: ClarifierOptions) {}

  async questions(request: string, signal?: AbortSignal): Promise<Question[]> {
    const { backend, prompts, logger } = this.options;
    try {
      const result = await callModel(
        backend,
        {
          system: prompts.system,
          user: prompts.render('clarify', { request }),
          jsonSchema: questionsJsonSchema(),
          signal,
        },
        this.options.limits ?? { maxTokens: 400, timeoutMs: 60_000 },
      );
      const answer = parseModelJson(QuestionsAnswer, result.text, result.stopReason);
      return answer.questions.slice(0, MAX_QUESTIONS).flatMap((q, index) => {
        const options = [...new Set(q.options.map((o) => o.trim()).filter(Boolean))].slice(0, 4);
        if (options.length < 2) return [];
        // The default must be one of the offers; otherwise the first offer is.
        const fallback = options.includes(q.default.trim()) ? q.default.trim() : (options[0] as string);
        return [{ id: `q${index + 1}`, question: q.question.trim(), options, default: fallback }];
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      logger.info('no clarifying questions', {
        reason: error instanceof Error ? error.message : String(error),
      });
      return [];
    }
  }
}

/** The person's answers as one line for the prompt. */
export function describeAnswers(answers: ReadonlyArray<{ question: string; answer: string }>): string {
  return answers.map((a) => `${a.question.trim()} ${a.answer.trim()}`).join('; ');
}
