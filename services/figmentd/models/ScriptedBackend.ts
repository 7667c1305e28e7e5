import { readFileSync } from 'node:fs';
import { setImmediate, setTimeout } from 'node:timers/promises';
import { z } from 'zod';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import type { ModelStatus } from '../../protocol/index.js';
import type { GenerateRequest, GenerateResult, ModelBackend } from './types.js';

/** One canned answer: the first response whose pattern matches the request's user text is replayed. */
export interface ScriptedResponse {
  /** A regular expression source, tested case-insensitively against `request.user`. */
  match: string;
  /** The text the "model" writes. */
  output: string;
}

export interface ScriptedBackendOptions {
  /** Characters per streamed chunk; each chunk counts as one token. Defaults to 16. */
  chunkChars?: number;
  /** Pause before each chunk, in ms, to imitate a model's pace. Defaults to 0. */
  delayMs?: number;
  /** The model name reported in status and records. Defaults to 'scripted'. */
  name?: string;
}

const isRegExp = (source: string): boolean => {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
};

/** The JSON file that fromFile reads. An output that is not a string is stored as its JSON text. */
const ScriptFile = z.strictObject({
  responses: z
    .array(
      z.strictObject({
        match: z.string().refine(isRegExp, 'not a valid regular expression'),
        output: z.json(),
      }),
    )
    .min(1),
});

/**
 * A stand-in for a model that replays scripted outputs: for logic tests, the
 * development demo and browser tests. It speaks the same interface as the
 * real backend, streams in chunks and honours cancellation.
 */
export class ScriptedBackend implements ModelBackend {
  readonly kind = 'scripted';
  readonly name: string;

  private readonly responses: readonly { pattern: RegExp; output: string }[];
  private readonly chunkChars: number;
  private readonly delayMs: number;
  private readonly received: GenerateRequest[] = [];
  private disposed = false;

  constructor(responses: readonly ScriptedResponse[], options: ScriptedBackendOptions = {}) {
    this.responses = responses.map(({ match, output }, index) => {
      if (!isRegExp(match)) {
        throw new FigmentError(
          ErrorCode.Config,
          `scripted response ${index}: ${JSON.stringify(match)} is not a regular expression`,
        );
      }
      return { pattern: new RegExp(match, 'i'), output };
    });
    this.chunkChars = Math.max(1, Math.floor(options.chunkChars ?? 16));
    this.delayMs = Math.max(0, options.delayMs ?? 0);
    this.name = options.name ?? 'scripted';
  }

  /** Reads `{ "responses": [{ "match": "...", "output": ... }] }`; a bad file is a Config error naming what is wrong. */
  static fromFile(path: string, options: ScriptedBackendOptions = {}): ScriptedBackend {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new FigmentError(ErrorCode.Config, `could not read the scripted responses in ${path}: ${reason}`);
    }
    const parsed = ScriptFile.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`,
      );
      throw new FigmentError(
        ErrorCode.Config,
        `the scripted responses in ${path} are invalid: ${problems.join('; ')}`,
      );
    }
    const responses = parsed.data.responses.map(({ match, output }) => ({
      match,
      output: typeof output === 'string' ? output : JSON.stringify(output),
    }));
    return new ScriptedBackend(responses, options);
  }

  /** Every request received, in order, for tests to inspect. */
  get requests(): readonly GenerateRequest[] {
    return this.received;
  }

  status(): ModelStatus {
    this.assertUsable();
    return { state: 'ready', backend: 'scripted', name: this.name };
  }

  async load(): Promise<void> {
    this.assertUsable();
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.assertUsable();
    this.received.push(request);
    const started = performance.now();
    const response = this.responses.find(({ pattern }) => pattern.test(request.user));
    if (!response) {
      throw new FigmentError(
        ErrorCode.ModelOutput,
        `the scripted backend has no response for ${JSON.stringify(request.user.slice(0, 200))}`,
      );
    }

    let text = '';
    let tokens = 0;
    let stopReason: GenerateResult['stopReason'] = 'eos';
    for (let at = 0; at < response.output.length; at += this.chunkChars) {
      if (tokens >= request.maxTokens) {
        stopReason = 'maxTokens';
        break;
      }
      await this.pause(request.signal);
      const chunk = response.output.slice(at, at + this.chunkChars);
      text += chunk;
      tokens += 1;
      request.onText?.(chunk, tokens);
    }
    if (request.signal?.aborted) throw cancelledError();
    return {
      text,
      // A stand-in for the tokenizer: the prompt counted in chunks, as the output is.
      promptTokens: Math.ceil((request.system.length + request.user.length) / this.chunkChars),
      completionTokens: tokens,
      durationMs: Math.round(performance.now() - started),
      stopReason,
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  /** Yields between chunks (so a caller can abort mid-stream) and checks for cancellation. */
  private async pause(signal: AbortSignal | undefined): Promise<void> {
    try {
      if (this.delayMs > 0) await setTimeout(this.delayMs, undefined, signal ? { signal } : {});
      else await setImmediate(undefined, signal ? { signal } : {});
    } catch (error) {
      if (signal?.aborted) throw cancelledError();
      throw error;
    }
    if (signal?.aborted) throw cancelledError();
  }

  private assertUsable(): void {
    if (this.disposed) throw new FigmentError(ErrorCode.Internal, 'the scripted backend has been shut down');
  }
}

function cancelledError(): FigmentError {
  return new FigmentError(ErrorCode.Cancelled, 'the generation was cancelled');
}
