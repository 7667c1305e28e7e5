import type { AppBundle, Finding } from '../../protocol/bundle.js';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import type { AppSummary, GenerationProgress } from '../../protocol/messages.js';
import type { Logger } from '../log/Logger.js';
import type { GenerateResult, ModelBackend } from '../models/types.js';
import type { ContextStore } from '../store/ContextStore.js';
import type { AttemptRecord, RuntimeFailure } from '../store/GenerationLog.js';
import type { StoredVersion } from '../store/types.js';
import { applyEdits } from './applyEdits.js';
import { bundleJsonSchema } from './bundleJsonSchema.js';
import { callModel } from './callModel.js';
import { editJsonSchema } from './editJsonSchema.js';
import { extractAnnotations } from './extractAnnotations.js';
import type { PromptSet } from './PromptSet.js';
import { EditAnswer, parseBundle, parseModelJson } from './parseModelJson.js';
import { partialHtml } from './partialHtml.js';
import { problemSignature } from './problemSignature.js';
import { hasErrors, validateBundle } from './validateBundle.js';

export interface GeneratorOptions {
  backend: ModelBackend;
  store: ContextStore;
  prompts: PromptSet;
  logger: Logger;
  /** Upper bound on tokens for one answer. */
  maxTokens: number;
  /** Upper bound on one answer, in ms. */
  timeoutMs: number;
  /** Repair attempts after the first answer. Defaults to 3. */
  maxRepairs?: number;
}

export interface GenerateOptions {
  requestId: string;
  signal?: AbortSignal;
  onProgress?: (progress: GenerationProgress) => void;
  /** Answers to clarifying questions, as lines for the prompt. */
  answers?: string;
  sessionId?: string | null;
  /** When the person's request began, for elapsed times in progress. Defaults to when the call began. */
  startedAt?: number;
}

/** What a successful run made: the app, its new current version and how many attempts it took. */
export interface Made {
  app: AppSummary;
  versionId: string;
  attempts: number;
  /** Warnings the stored version still carries. */
  findings: Finding[];
}

/** How a runtime repair ended. */
export interface RepairOutcome extends Made {
  /** repaired: a new version is current; rolled-back: the last version that worked is current again; gave-up: no version ever worked. */
  outcome: 'repaired' | 'rolled-back' | 'gave-up';
  message: string;
}

/** The first request of a run, before any repair. */
interface Plan {
  kind: 'new' | 'edit' | 'repair';
  cause: AttemptRecord['cause'];
  intent: string;
  /** The version this run changes; null for a new app. */
  parent: StoredVersion | null;
  user: string;
  /** Attempts allowed in all. */
  maxAttempts: number;
  /** The problems that started a repair run (for stopping when they come back unchanged). */
  startingProblems?: string[];
}

type AttemptResult =
  | { ok: true; bundle: AppBundle; findings: Finding[] }
  | {
      ok: false;
      outcome: 'invalid' | 'unreadable' | 'patch-failed';
      problems: string[];
      findings: Finding[];
      bundle?: AppBundle;
    };

/** How much of the model's latest text travels with each progress event. */
const PREVIEW_CHARS = 400;
/** Progress events are throttled so a fast model does not flood the shell. */
const PROGRESS_INTERVAL_MS = 100;
/** The rendered preview (the whole HTML so far) travels less often: it is bigger and a screen repaint. */
const PREVIEW_HTML_INTERVAL_MS = 500;
/** A preview longer than this is cut (the app is nearly done by then anyway). */
const PREVIEW_HTML_CHARS = 64_000;

/**
 * Makes, changes and repairs apps: prompt → constrained generation → parse →
 * validate → store, with bounded self-repair. Findings (or runtime failures)
 * go back to the model with the app's annotations; a run stops after
 * `maxRepairs` repairs or when the same problems come back. Nothing is stored
 * unless it passed validation, so the last good version stays current, and
 * an app's data is never touched. Every attempt is recorded.
 */
export class Generator {
  readonly #maxRepairs: number;

  constructor(private readonly options: GeneratorOptions) {
    this.#maxRepairs = options.maxRepairs ?? 3;
  }

  get promptVersion(): string {
    return this.options.prompts.version;
  }

  /** A new app from the person's words. */
  async generate(intent: string, options: GenerateOptions): Promise<Made> {
    const user = this.options.prompts.userText(
      intent,
      options.answers ? `Details: ${options.answers}\n` : '',
    );
    return this.#run(
      { kind: 'new', cause: 'request', intent, parent: null, user, maxAttempts: 1 + this.#maxRepairs },
      options,
    );
  }

  /** A change to an app's current version, asked for as a patch. */
  async edit(appId: string, change: string, options: GenerateOptions): Promise<Made> {
    const { store, prompts } = this.options;
    const app = store.getApp(appId);
    const parent = app && store.getVersion(app.currentVersionId);
    if (!parent) throw new FigmentError(ErrorCode.NotFound, 'That app no longer exists.');
    const user = prompts.render('edit', {
      request: change,
      manifest: JSON.stringify(parent.manifest),
      annotations: extractAnnotations(parent.html),
      document: parent.html,
    });
    return this.#run(
      { kind: 'edit', cause: 'request', intent: change, parent, user, maxAttempts: 1 + this.#maxRepairs },
      options,
    );
  }

  /** Records what the shell saw a running version do wrong. */
  reportFailure(versionId: string, failure: RuntimeFailure): { appId: string } {
    const { store } = this.options;
    const version = store.getVersion(versionId);
    if (!version) throw new FigmentError(ErrorCode.NotFound, 'That version of the app no longer exists.');
    store.generationLog.recordRuntimeFailure(version.appId, versionId, failure);
    this.options.logger.info('runtime failure reported', {
      appId: version.appId,
      versionId,
      kind: failure.kind,
    });
    return { appId: version.appId };
  }

  /**
   * Repairs a version that failed while running. Runtime repairs in a row are
   * bounded like validation repairs, and stop when the repaired version fails
   * the same way as the one it replaced; then the last version that ran
   * without a reported failure becomes current again.
   */
  async repairRuntime(versionId: string, options: GenerateOptions): Promise<RepairOutcome> {
    const { store, prompts } = this.options;
    const log = store.generationLog;
    const version = store.getVersion(versionId);
    if (!version) throw new FigmentError(ErrorCode.NotFound, 'That version of the app no longer exists.');
    const failures = log.runtimeFailures(versionId);
    if (failures.length === 0) {
      throw new FigmentError(
        ErrorCode.NotFound,
        'No failure was reported for that version, so there is nothing to repair.',
      );
    }
    const problems = failures.map(describeFailure);

    // How many runtime repairs in a row led to this version, and what the one before it failed with.
    let chain = 0;
    let previousProblems: string[] | undefined;
    for (let v: StoredVersion | undefined = version; v; ) {
      const made = log.attemptThatStored(v.id);
      if (made?.kind !== 'repair' || made.cause !== 'runtime' || !v.parentId) break;
      chain++;
      if (v === version) previousProblems = log.runtimeFailures(v.parentId).map(describeFailure);
      v = store.getVersion(v.parentId);
    }
    const repeated =
      previousProblems !== undefined && problemSignature(previousProblems) === problemSignature(problems);
    if (repeated || chain >= this.#maxRepairs) {
      const why = repeated
        ? 'it failed the same way after a repair'
        : `${chain} repairs did not make it work`;
      return this.#fallBack(version, why, chain);
    }

    const user = prompts.render('repair', {
      request: version.intent,
      problems: problems.map((p) => `- ${p}`).join('\n'),
      annotations: extractAnnotations(version.html),
      document: version.html,
    });
    try {
      const made = await this.#run(
        {
          kind: 'repair',
          cause: 'runtime',
          intent: version.intent,
          parent: version,
          user,
          maxAttempts: this.#maxRepairs - chain,
          startingProblems: problems,
        },
        options,
      );
      return { ...made, outcome: 'repaired', message: `Repaired “${made.app.name}”.` };
    } catch (error) {
      if (
        !(error instanceof FigmentError) ||
        (error.code !== ErrorCode.Validation && error.code !== ErrorCode.ModelOutput)
      )
        throw error;
      return this.#fallBack(version, 'no repair passed the checks', chain + 1);
    }
  }

  /** Makes the last version that ran without a reported failure current again, if there is one. */
  #fallBack(failing: StoredVersion, why: string, attempts: number): RepairOutcome {
    const { store, logger } = this.options;
    const log = store.generationLog;
    let good: StoredVersion | undefined;
    for (let v = failing.parentId ? store.getVersion(failing.parentId) : undefined; v; ) {
      if (log.runtimeFailures(v.id).length === 0) {
        good = v;
        break;
      }
      v = v.parentId ? store.getVersion(v.parentId) : undefined;
    }
    logger.info('runtime repair stopped', {
      appId: failing.appId,
      versionId: failing.id,
      why,
      keptVersionId: good?.id,
    });
    if (!good) {
      const app = store.getApp(failing.appId);
      if (!app) throw new FigmentError(ErrorCode.NotFound, 'That app no longer exists.');
      return {
        app,
        versionId: app.currentVersionId,
        attempts,
        findings: [],
        outcome: 'gave-up',
        message: `“${app.name}” could not be repaired (${why}), and no earlier version of it worked.`,
      };
    }
    const app = store.rollback(failing.appId, good.id);
    return {
      app,
      versionId: good.id,
      attempts,
      findings: good.findings,
      outcome: 'rolled-back',
      message: `“${app.name}” could not be repaired (${why}); its last working version is back.`,
    };
  }

  async #run(plan: Plan, given: GenerateOptions): Promise<Made> {
    const options = { ...given, startedAt: given.startedAt ?? Date.now() };
    const { store, prompts, logger, backend } = this.options;
    const log = store.generationLog;
    let user = plan.user;
    let kind: AttemptRecord['kind'] = plan.kind;
    let cause = plan.cause;
    let previous = plan.startingProblems ? problemSignature(plan.startingProblems) : undefined;
    let last: AttemptResult | undefined;
    let attempt = 0;
    let totalTokens = 0;

    while (attempt < plan.maxAttempts) {
      attempt++;
      const started = Date.now();
      const result = await this.#ask(
        user,
        kind === 'edit' ? 'edit' : 'bundle',
        attempt,
        kind,
        options,
        totalTokens,
      );
      totalTokens += result.completionTokens;
      const generationMs = Date.now() - started;
      this.#progress(options, 'validating', attempt, totalTokens);
      const validationStarted = Date.now();
      last = this.#check(result, kind, plan.parent);
      const validationMs = Date.now() - validationStarted;
      // What both the attempt and the stored version record about this answer.
      const measures = {
        model: backend.name,
        promptVersion: prompts.version,
        promptTokens: result.promptTokens,
        completionTokens: result.completionTokens,
        generationMs,
        validationMs,
      };
      const record: AttemptRecord = {
        requestId: options.requestId,
        appId: plan.parent?.appId ?? null,
        sessionId: options.sessionId ?? null,
        attempt,
        kind,
        cause,
        outcome: 'stored',
        parentVersionId: plan.parent?.id ?? null,
        versionId: null,
        intent: plan.intent,
        findings: last.findings,
        ...measures,
      };

      if (last.ok) {
        this.#progress(options, 'saving', attempt, totalTokens);
        const versionRecord = {
          intent: plan.intent,
          bundle: last.bundle,
          ...measures,
          findings: last.findings,
          repairAttempts: attempt - 1,
          sessionId: options.sessionId ?? null,
        };
        const bundle = last.bundle;
        const saved = store.batch(() => {
          let appId: string;
          let versionId: string;
          if (plan.parent) {
            appId = plan.parent.appId;
            versionId = store.addVersion(appId, plan.parent.id, versionRecord);
          } else {
            ({
              app: { id: appId },
              versionId,
            } = store.createApp(versionRecord));
            log.adoptAttempts(options.requestId, appId);
          }
          log.recordAttempt({ ...record, appId, versionId });
          return { appId, versionId };
        });
        const app = store.getApp(saved.appId) as AppSummary;
        logger.info('app stored', {
          requestId: options.requestId,
          appId: app.id,
          kind: plan.kind,
          attempts: attempt,
          name: bundle.manifest.name,
        });
        return { app, versionId: saved.versionId, attempts: attempt, findings: last.findings };
      }

      log.recordAttempt({
        ...record,
        outcome: last.outcome,
        message: last.problems.join('\n').slice(0, 4000),
      });
      logger.info('attempt failed', {
        requestId: options.requestId,
        attempt,
        outcome: last.outcome,
        problems: last.problems.slice(0, 5),
      });

      const signature = problemSignature(last.problems);
      if (signature === previous) break;
      previous = signature;

      // The next attempt: a patch that did not apply falls back to a full document;
      // anything else goes back to the model with its problems.
      if (last.outcome === 'patch-failed' && plan.parent) {
        kind = 'rewrite';
        cause = 'patch';
        user = prompts.render('rewrite', {
          request: plan.intent,
          annotations: extractAnnotations(plan.parent.html),
          document: plan.parent.html,
        });
      } else {
        const document = last.bundle?.html ?? plan.parent?.html ?? '(the answer could not be read)';
        kind = 'repair';
        cause = 'validation';
        user = prompts.render('repair', {
          request: plan.intent,
          problems: last.problems.map((p) => `- ${p}`).join('\n'),
          annotations: extractAnnotations(document),
          document,
        });
      }
    }

    const findings = last?.findings ?? [];
    const problems = last && !last.ok ? last.problems : [];
    const kept = plan.parent ? ' The app is unchanged: its last good version stays.' : '';
    throw new FigmentError(
      ErrorCode.Validation,
      `${plan.parent ? 'The change' : 'The new app'} did not pass its checks after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${problems[0] ?? 'unknown problem'}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}.${kept}`,
      { findings, attempts: attempt, keptVersionId: plan.parent?.id ?? null },
    );
  }

  /** One model call, streaming progress (with a preview of the text) to the shell. */
  async #ask(
    user: string,
    shape: 'bundle' | 'edit',
    attempt: number,
    kind: AttemptRecord['kind'],
    options: GenerateOptions,
    tokensBefore: number,
  ): Promise<GenerateResult> {
    const { backend, prompts } = this.options;
    let text = '';
    let lastProgress = 0;
    let lastPreviewHtml = 0;
    this.#progress(options, attempt === 1 ? 'prompting' : 'repairing', attempt, tokensBefore);
    return callModel(
      backend,
      {
        system: prompts.system,
        user,
        jsonSchema: shape === 'edit' ? editJsonSchema() : bundleJsonSchema(),
        signal: options.signal,
        onText: (chunk, tokensSoFar) => {
          text += chunk;
          if (Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
            lastProgress = Date.now();
            // Edits are patches, not documents: only a whole new bundle can be previewed.
            let html: string | undefined;
            if (shape === 'bundle' && lastProgress - lastPreviewHtml >= PREVIEW_HTML_INTERVAL_MS) {
              html = partialHtml(text)?.slice(0, PREVIEW_HTML_CHARS);
              if (html !== undefined) lastPreviewHtml = lastProgress;
            }
            this.#progress(
              options,
              kind === 'repair' ? 'repairing' : 'generating',
              attempt,
              tokensBefore + tokensSoFar,
              text.slice(-PREVIEW_CHARS),
              html,
            );
          }
        },
      },
      this.options,
    );
  }

  /** Parses, patches and validates one answer. */
  #check(result: GenerateResult, kind: AttemptRecord['kind'], parent: StoredVersion | null): AttemptResult {
    let bundle: AppBundle;
    try {
      if (kind === 'edit' && parent) {
        const answer = parseModelJson(EditAnswer, result.text, result.stopReason);
        const patched = applyEdits(parent.html, answer.edits);
        if (!patched.ok) {
          const block = answer.edits[patched.index]?.search.slice(0, 80) ?? '';
          const why =
            patched.reason === 'ambiguous'
              ? 'matches more than one place'
              : patched.reason === 'empty'
                ? 'is empty'
                : 'is not in the document';
          const problem = `patch block ${patched.index + 1} ("${block}") ${why}`;
          return {
            ok: false,
            outcome: 'patch-failed',
            problems: [problem],
            findings: [{ code: 'patch.apply', severity: 'error', message: problem }],
          };
        }
        bundle = { manifest: answer.manifest, html: patched.html };
      } else {
        bundle = parseBundle(result.text, result.stopReason);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        outcome: 'unreadable',
        problems: [message],
        findings: [{ code: 'model.output', severity: 'error', message }],
      };
    }
    const findings = validateBundle(bundle);
    if (!hasErrors(findings)) return { ok: true, bundle, findings };
    const problems = findings
      .filter((f) => f.severity === 'error')
      .map((f) => `[${f.code}]${f.line ? ` line ${f.line}:` : ''} ${f.message}`);
    return { ok: false, outcome: 'invalid', problems, findings, bundle };
  }

  #progress(
    options: GenerateOptions,
    stage: GenerationProgress['stage'],
    attempt: number,
    tokens: number,
    preview?: string,
    previewHtml?: string,
  ): void {
    options.onProgress?.({
      requestId: options.requestId,
      stage,
      tokens,
      elapsedMs: Date.now() - (options.startedAt ?? Date.now()),
      attempt,
      ...(preview === undefined ? {} : { preview }),
      ...(previewHtml === undefined ? {} : { previewHtml }),
    });
  }
}

function describeFailure(failure: RuntimeFailure): string {
  if (failure.kind === 'unresponsive')
    return `[runtime.unresponsive] the app stopped answering (a loop that never yields?): ${failure.message}`;
  const stack = failure.stack ? ` at ${failure.stack.split('\n').slice(0, 3).join(' | ')}` : '';
  return `[runtime.${failure.kind}] ${failure.message}${stack}`;
}
