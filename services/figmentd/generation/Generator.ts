import { AppBundle, type Finding } from '../../protocol/bundle.js';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import type { AppSummary, GenerationProgress } from '../../protocol/messages.js';
import type { Logger } from '../log/Logger.js';
import type { ModelBackend } from '../models/types.js';
import type { ContextStore } from '../store/ContextStore.js';
import { bundleJsonSchema } from './bundleJsonSchema.js';
import type { PromptSet } from './PromptSet.js';
import { hasErrors, validateBundle } from './validateBundle.js';

export interface GeneratorOptions {
  backend: ModelBackend;
  store: ContextStore;
  prompts: PromptSet;
  logger: Logger;
  /** Upper bound on tokens for one app. */
  maxTokens: number;
  /** Upper bound on one generation, in ms. */
  timeoutMs: number;
}

export interface GenerateOptions {
  requestId: string;
  signal?: AbortSignal;
  onProgress?: (progress: GenerationProgress) => void;
}

/** How much of the model's latest text travels with each progress event. */
const PREVIEW_CHARS = 400;
/** Progress events are throttled so a fast model does not flood the shell. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Turns a person's words into a stored app: prompt → constrained generation →
 * parse → validate → store. Nothing is stored unless it passed validation.
 */
export class Generator {
  constructor(private readonly options: GeneratorOptions) {}

  async generate(intent: string, { requestId, signal, onProgress }: GenerateOptions) {
    const { backend, store, prompts, logger } = this.options;
    const started = Date.now();
    let tokens = 0;
    let text = '';
    let lastProgress = 0;
    const progress = (stage: GenerationProgress['stage'], preview?: string) =>
      onProgress?.({ requestId, stage, tokens, elapsedMs: Date.now() - started, preview });

    const status = backend.status();
    if (status.state === 'missing')
      throw new FigmentError(ErrorCode.NoModel, status.message ?? 'no model configured');

    progress('prompting');
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const result = await backend
      .generate({
        system: prompts.system,
        user: prompts.userText(intent),
        jsonSchema: bundleJsonSchema(),
        maxTokens: this.options.maxTokens,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        onText: (chunk, tokensSoFar) => {
          tokens = tokensSoFar;
          text += chunk;
          if (Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
            lastProgress = Date.now();
            progress('generating', text.slice(-PREVIEW_CHARS));
          }
        },
      })
      .catch((error: unknown) => {
        if (timeout.aborted && !signal?.aborted) {
          throw new FigmentError(
            ErrorCode.Limit,
            `the model took longer than ${this.options.timeoutMs / 1000} s`,
          );
        }
        throw error;
      });
    const generationMs = Date.now() - started;
    tokens = result.completionTokens;

    progress('validating');
    const validationStarted = Date.now();
    const bundle = parseBundle(result.text, result.stopReason);
    const findings = validateBundle(bundle);
    const validationMs = Date.now() - validationStarted;
    if (hasErrors(findings)) {
      logger.info('generated app failed validation', { requestId, findings });
      throw new FigmentError(ErrorCode.Validation, describeFindings(findings), findings);
    }

    progress('saving');
    const saved: { app: AppSummary; versionId: string } = store.createApp({
      intent,
      bundle,
      model: backend.name,
      promptVersion: prompts.version,
      promptTokens: result.promptTokens,
      completionTokens: result.completionTokens,
      generationMs,
      validationMs,
    });
    logger.info('app generated', {
      requestId,
      appId: saved.app.id,
      tokens: result.completionTokens,
      generationMs,
      validationMs,
    });
    return saved;
  }
}

function parseBundle(text: string, stopReason: string): AppBundle {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const why = stopReason === 'maxTokens' ? 'it ran out of room before finishing' : 'it was not valid JSON';
    throw new FigmentError(ErrorCode.ModelOutput, `The model's answer could not be read: ${why}.`);
  }
  const parsed = AppBundle.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'bundle').join(', ');
    throw new FigmentError(
      ErrorCode.ModelOutput,
      `The model's answer is missing parts of an app (${fields}).`,
    );
  }
  return parsed.data;
}

function describeFindings(findings: readonly Finding[]): string {
  const errors = findings.filter((finding) => finding.severity === 'error');
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `The new app did not pass its safety checks: ${first?.message ?? 'unknown problem'}${more}.`;
}
