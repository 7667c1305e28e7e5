import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import type { ServerMessage } from '../../services/protocol/messages.js';
import { ApiClient } from '../support/ApiClient.js';
import type { RunningDaemon } from '../support/startDaemon.js';
import { describeStep, runStep } from './runStep.js';
import type { Intent, Terminal, Tier } from './types.js';

/** How one intent ended: its first app worked, one of its runtime repairs did, or nothing did. */
export type Outcome = 'first-run' | 'after-repair' | 'failed';

export interface IntentResult {
  id: string;
  tier: Tier;
  terminal: Terminal;
  outcome: Outcome;
  /** Where it stopped when it failed: no app passed validation, or the app did not work. */
  failedAt: 'generation' | 'checks' | null;
  /** Model answers for the first app, validation repairs included. */
  generationAttempts: number;
  /** Runtime repairs asked for (apps.repair calls). */
  runtimeRepairs: number;
  /** Every model answer: generation attempts plus the attempts of each runtime repair. */
  attempts: number;
  /** Completion tokens over every answer. */
  tokens: number;
  /** Wall time of the generate request, ms. */
  generationMs: number;
  /** Wall time of all runtime repairs, ms. */
  repairMs: number;
  /** From the request to the first streamed preview, ms; null when none came. */
  firstPreviewMs: number | null;
  /** axe-core violations (rules broken) in the last version that ran; null when none ran. */
  a11yViolations: number | null;
  a11yRules: string[];
  /** Runtime failures the shell reported (from the SDK or the supervisor). */
  runtimeFailures: string[];
  /** The first thing that went wrong, in words. */
  problem: string | null;
  /** What made the first app, as figmentd recorded it; null when no app was stored. */
  model: string | null;
  promptVersion: string | null;
}

export interface QualityRunnerOptions {
  daemon: RunningDaemon;
  browser: Browser;
  /** Runtime repairs to ask for at most; figmentd's own bound may stop sooner. Defaults to 3. */
  maxRepairs?: number;
  /** Limit for one model request, ms. Defaults to 10 minutes. */
  requestTimeoutMs?: number;
  /** Runs an axe-core scan of each app that ran. Defaults to true. */
  axe?: boolean;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface ModelRun {
  reply: ServerMessage;
  tokens: number;
  attempts: number;
  ms: number;
  firstPreviewMs: number | null;
}

/**
 * Runs intents against a real figmentd and the real shell in Chromium:
 * generate (new, never reused), open in the shell's sandboxed frame, run
 * the acceptance steps and axe-core, and on failure report it and ask for
 * a runtime repair, within the bound. Every app is forgotten afterwards, so
 * intents do not see each other.
 */
export class QualityRunner {
  readonly #options: QualityRunnerOptions;
  #client: ApiClient | undefined;
  #page: Page | undefined;
  #reported: string[] = [];
  /** Storage keys the app under test wrote during its checks, by app id. */
  readonly #writtenKeys = new Map<string, Set<string>>();

  constructor(options: QualityRunnerOptions) {
    this.#options = options;
  }

  async run(intent: Intent): Promise<IntentResult> {
    const client = await this.#connect();
    const result = emptyResult(intent);
    const made = await this.#model('generate', { intent: intent.intent });
    result.generationAttempts = made.attempts;
    result.attempts = made.attempts;
    result.tokens = made.tokens;
    result.generationMs = made.ms;
    result.firstPreviewMs = made.firstPreviewMs;
    if (made.reply.type !== 'reply') {
      result.failedAt = 'generation';
      result.problem = made.reply.type === 'error' ? made.reply.error.message : 'no reply';
      return result;
    }
    const { app, versionId: first } = made.reply.result as { app: { id: string }; versionId: string };
    let versionId = first;
    const history = await client.call('apps.versions', { appId: app.id });
    if (history.type === 'reply') {
      const [made] = (history.result as { versions: { model: string; promptVersion: string }[] }).versions;
      result.model = made?.model ?? null;
      result.promptVersion = made?.promptVersion ?? null;
    }
    try {
      for (;;) {
        const problem = await this.#tryApp(intent, result);
        if (!problem) {
          result.outcome = result.runtimeRepairs === 0 ? 'first-run' : 'after-repair';
          result.problem = null;
          result.failedAt = null;
          return result;
        }
        result.failedAt = 'checks';
        result.problem ??= problem.message;
        if (result.runtimeRepairs >= (this.#options.maxRepairs ?? 3)) return result;
        // The shell already reported runtime errors; a check that failed is reported as a person would.
        if (!problem.reported) {
          await client.call('apps.report', {
            versionId,
            kind: 'error',
            message: problem.message.slice(0, 2000),
          });
        }
        result.runtimeRepairs++;
        const repair = await this.#model('apps.repair', { versionId });
        result.attempts += repair.attempts;
        result.tokens += repair.tokens;
        result.repairMs += repair.ms;
        if (repair.reply.type !== 'reply') return result;
        const repaired = repair.reply.result as { outcome: string; versionId: string };
        if (repaired.outcome !== 'repaired') return result;
        versionId = repaired.versionId;
        await this.#forgetWrittenData(client, app.id);
      }
    } finally {
      await client.call('apps.forget', { appId: app.id });
    }
  }

  /**
   * Saved data outlives a repair, but each version's checks expect the app as it was first
   * made: what an earlier try saved (two tasks already added) must not fail the next one.
   */
  async #forgetWrittenData(client: ApiClient, appId: string): Promise<void> {
    for (const key of this.#writtenKeys.get(appId) ?? []) {
      await client.call('storage.set', { appId, key, value: null });
    }
    this.#writtenKeys.delete(appId);
  }

  /** Opens the app in the shell and runs its checks; a problem when it did not do what was asked. */
  async #tryApp(
    intent: Intent,
    result: IntentResult,
  ): Promise<{ message: string; reported: boolean } | null> {
    const page = await this.#openPage();
    this.#reported = [];
    // A new document each time: the same address with a hash would not reload the shell.
    await page.goto('about:blank');
    await page.goto(this.#options.daemon.shellUrl);
    await page.locator('.app-tile').first().click({ timeout: 10_000 });
    await page.locator('iframe.app-frame').waitFor({ timeout: 10_000 });
    const frame = page.frameLocator('iframe.app-frame');
    await frame.locator('body').waitFor({ timeout: 10_000 });
    let failed: string | null = null;
    for (const step of intent.checks) {
      try {
        await runStep(frame, step);
      } catch (error) {
        const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
        failed = `Acceptance check failed: the person could not ${describeStep(step)} (${why})`;
        break;
      }
    }
    await this.#scan(page, result);
    // Errors the shell reported while the steps ran.
    await page.waitForTimeout(100);
    result.runtimeFailures.push(...this.#reported);
    if (this.#reported.length > 0) {
      return { message: failed ?? `The app reported: ${this.#reported[0]}`, reported: failed === null };
    }
    return failed ? { message: failed, reported: false } : null;
  }

  async #scan(page: Page, result: IntentResult): Promise<void> {
    if (this.#options.axe === false) return;
    const frame = page.frames().find((candidate) => candidate.url().includes('/frame/'));
    if (!frame) return;
    try {
      await frame.evaluate(axeSource);
      const rules = await frame.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: { run(context: Document): Promise<{ violations: { id: string }[] }> };
          }
        ).axe;
        const found = await axe.run(document);
        return found.violations.map((violation) => violation.id);
      });
      result.a11yViolations = rules.length;
      result.a11yRules = rules;
    } catch (error) {
      result.a11yViolations = null;
      result.a11yRules = [
        `axe could not run: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      ];
    }
  }

  /** One model request, with its progress events counted. */
  async #model(method: 'generate' | 'apps.repair', params: object): Promise<ModelRun> {
    const client = await this.#connect();
    const from = client.messages.length;
    const started = performance.now();
    const reply = await client.call(method, params, this.#options.requestTimeoutMs ?? 600_000);
    const ms = Math.round(performance.now() - started);
    const requestId = (reply as { id: string }).id;
    let tokens = 0;
    let attempts = 0;
    let firstPreviewMs: number | null = null;
    for (const message of client.messages.slice(from)) {
      if (message.type !== 'event' || message.event !== 'generation.progress') continue;
      const progress = message.data as {
        requestId: string;
        tokens: number;
        attempt?: number;
        preview?: string;
        elapsedMs: number;
      };
      if (progress.requestId !== requestId) continue;
      tokens = Math.max(tokens, progress.tokens);
      attempts = Math.max(attempts, progress.attempt ?? 0);
      if (firstPreviewMs === null && progress.preview) firstPreviewMs = progress.elapsedMs;
    }
    if (reply.type === 'reply') {
      const answered = (reply.result as { attempts?: number }).attempts;
      // A repair that stopped at once (the bound, or the same failure again) asked the model nothing.
      if (method === 'generate' && answered) attempts = answered;
    }
    return { reply, tokens, attempts, ms, firstPreviewMs };
  }

  async #connect(): Promise<ApiClient> {
    if (!this.#client) {
      const { url, token } = this.#options.daemon;
      this.#client = await ApiClient.connect(`${url.replace(/^http/, 'ws')}/api?token=${token}`);
      await this.#client.call('hello', { protocol: 1, client: 'test' });
    }
    return this.#client;
  }

  async #openPage(): Promise<Page> {
    if (!this.#page) {
      this.#page = await this.#options.browser.newPage({ viewport: { width: 1280, height: 800 } });
      this.#page.on('console', (message: ConsoleMessage) => {
        const text = message.text();
        if (/^figment: .* (reported|stopped)/.test(text)) this.#reported.push(text.replace(/^figment: /, ''));
      });
      // The shell's own requests to figmentd: which keys the app saved.
      this.#page.on('websocket', (socket) =>
        socket.on('framesent', ({ payload }) => this.#noteWrite(String(payload))),
      );
    }
    return this.#page;
  }

  #noteWrite(payload: string): void {
    const { method, params } = JSON.parse(payload) as {
      method?: string;
      params?: { appId?: string; key?: string };
    };
    if (method !== 'storage.set' || !params?.appId || !params.key) return;
    const keys = this.#writtenKeys.get(params.appId) ?? new Set<string>();
    this.#writtenKeys.set(params.appId, keys.add(params.key));
  }

  async dispose(): Promise<void> {
    await this.#page?.close();
    this.#client?.close();
  }
}

/** An intent's result before anything has run: failed, with nothing counted yet. */
export function emptyResult(intent: Intent): IntentResult {
  return {
    id: intent.id,
    tier: intent.tier,
    terminal: intent.terminal,
    outcome: 'failed',
    failedAt: null,
    generationAttempts: 0,
    runtimeRepairs: 0,
    attempts: 0,
    tokens: 0,
    generationMs: 0,
    repairMs: 0,
    firstPreviewMs: null,
    a11yViolations: null,
    a11yRules: [],
    runtimeFailures: [],
    problem: null,
    model: null,
    promptVersion: null,
  };
}
