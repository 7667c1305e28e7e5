import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import type { AppSummary, AskResult, Params } from '../../protocol/messages.js';
import type { Logger } from '../log/Logger.js';
import type { ContextStore } from '../store/ContextStore.js';
import type { SearchHit } from '../store/types.js';
import { type Clarifier, describeAnswers } from './Clarifier.js';
import { type ClassifiedIntent, classifyIntent } from './classifyIntent.js';
import type { GenerateOptions, Generator } from './Generator.js';

export interface AssistantOptions {
  store: ContextStore;
  generator: Generator;
  clarifier: Clarifier;
  logger: Logger;
  /** Share of a request's words a stored app must match to be reused. Defaults to 0.75. */
  reuseCoverage?: number;
  /** Share of a reference's words an app must match to be meant. Defaults to 0.5. */
  referenceCoverage?: number;
}

/** Below this lead over the next app, a reference is ambiguous and the person is asked. */
const CLEAR_LEAD = 0.25;

/**
 * Answers what a person asks: classifies it, resolves which app it means
 * (asking, never guessing, when several fit), reuses a stored working app
 * that already does the job, asks clarifying questions, and hands the work
 * to the Generator.
 */
export class Assistant {
  constructor(private readonly options: AssistantOptions) {}

  async ask(params: Params<'ask'>, run: GenerateOptions): Promise<AskResult> {
    const { generator, clarifier, logger } = this.options;
    const intent = classifyIntent(params.text);
    const skipQuestions = intent.skipQuestions || params.skipQuestions === true;
    logger.info('request classified', {
      requestId: run.requestId,
      kind: intent.kind,
      reference: intent.reference,
    });

    if (intent.kind === 'other') {
      return {
        kind: 'reply',
        intent: 'other',
        message: 'Figment makes small apps. Say what you need, for example “a timer for brushing teeth”.',
      };
    }

    if (intent.kind === 'open' || intent.kind === 'change') {
      const target = await this.#resolve(intent, params);
      if (target.kind !== 'app') return target.result;
      if (intent.kind === 'open') return this.#open(target.app, false, target.reason);
      const made = await generator.edit(target.app.id, params.text, run);
      return {
        kind: 'made',
        intent: 'change',
        app: made.app,
        versionId: made.versionId,
        attempts: made.attempts,
      };
    }

    // A new app: reuse a stored one that already does this, unless a fresh one was asked for.
    if (!intent.fresh && params.fresh !== true) {
      const reusable = await this.#reusable(params.text);
      if (reusable) return this.#open(reusable.app, true, reusable.reason);
    }
    if (!skipQuestions && !params.answers) {
      const questions = await clarifier.questions(params.text, run.signal);
      if (questions.length > 0) return { kind: 'questions', intent: 'new', questions };
    }
    const answers = params.answers && params.answers.length > 0 ? describeAnswers(params.answers) : undefined;
    const made = await generator.generate(params.text, { ...run, ...(answers ? { answers } : {}) });
    return { kind: 'made', intent: 'new', app: made.app, versionId: made.versionId, attempts: made.attempts };
  }

  #open(app: AppSummary, reused: boolean, reason: string): AskResult {
    this.options.store.markOpened(app.id);
    const opened = this.options.store.getApp(app.id) ?? app;
    return { kind: 'open', app: opened, versionId: opened.currentVersionId, reused, reason };
  }

  /** Which app the words mean: the one picked, the one on screen, the one clearly best, or a question. */
  async #resolve(
    intent: ClassifiedIntent,
    params: Params<'ask'>,
  ): Promise<{ kind: 'app'; app: AppSummary; reason: string } | { kind: 'answer'; result: AskResult }> {
    const { store } = this.options;
    const picked =
      params.appId ?? (intent.reference === 'it' || intent.reference === null ? params.openAppId : undefined);
    if (picked) {
      const app = store.getApp(picked);
      if (!app) throw new FigmentError(ErrorCode.NotFound, 'That app no longer exists.');
      return { kind: 'app', app, reason: params.appId ? 'you picked it' : 'it is the app on screen' };
    }
    const reference = intent.reference && intent.reference !== 'it' ? intent.reference : null;
    const hits = reference ? await this.#matching(reference, this.options.referenceCoverage ?? 0.5) : [];
    const [best, second] = hits;
    if (best && (!second || best.strength - second.strength >= CLEAR_LEAD)) {
      return { kind: 'app', app: best.hit.app, reason: best.hit.reason };
    }
    if (best) {
      return {
        kind: 'answer',
        result: {
          kind: 'choose',
          intent: intent.kind === 'open' ? 'open' : 'change',
          question: `Which app do you mean by “${reference}”?`,
          apps: hits.slice(0, 4).map(({ hit }) => hit.app),
        },
      };
    }
    const what = reference ? `“${reference}”` : 'which app you mean';
    return {
      kind: 'answer',
      result: {
        kind: 'reply',
        intent: intent.kind === 'open' ? 'open' : 'change',
        message: reference
          ? `No app matches ${what}. Open it from your apps, or ask for a new one.`
          : 'Say which app to change, or open it first.',
      },
    };
  }

  /** A stored app whose words cover the request and whose current version has not failed while running. */
  async #reusable(request: string): Promise<{ app: AppSummary; reason: string } | undefined> {
    const [best] = await this.#matching(request, this.options.reuseCoverage ?? 0.75);
    if (!best) return undefined;
    const failures = this.options.store.generationLog.runtimeFailures(best.hit.app.currentVersionId);
    if (failures.length > 0) return undefined;
    return { app: best.hit.app, reason: best.hit.reason };
  }

  /** Search hits with how strongly each matches: the share of words matched, or closeness in meaning. */
  async #matching(text: string, minimum: number): Promise<{ hit: SearchHit; strength: number }[]> {
    const words = contentWords(text);
    const hits = await this.options.store.search(text, { limit: 8 });
    return hits
      .map((hit) => {
        const matched = words.filter((word) => hit.words.some((found) => sameStem(word, found))).length;
        const coverage = words.length === 0 ? 0 : matched / words.length;
        return { hit, strength: Math.max(coverage, hit.similarity ?? 0) };
      })
      .filter(({ strength }) => strength >= minimum)
      .sort((a, b) => b.strength - a.strength);
  }
}

/** Words that describe an app, without the ones that only point or ask. */
function contentWords(text: string): string[] {
  const filler = new Set(
    'a an and app apps for i in is it me my of on please that the this to with want need make create build give new earlier made one some'.split(
      ' ',
    ),
  );
  return [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].filter((word) => !filler.has(word));
}

/** "tracker" and "track", "brushing" and "brush": one starts with the other, or they share five letters. */
function sameStem(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x.startsWith(y) || y.startsWith(x)) return Math.min(x.length, y.length) >= 3;
  let common = 0;
  while (common < x.length && x[common] === y[common]) common++;
  return common >= 5;
}
