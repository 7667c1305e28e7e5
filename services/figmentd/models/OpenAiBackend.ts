import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import type { ModelStatus } from '../../protocol/index.js';
import type { GenerateRequest, GenerateResult, ModelBackend } from './types.js';

export interface OpenAiBackendOptions {
  /** The API root, e.g. http://127.0.0.1:8080/v1 (llama.cpp server) or https://api.openai.com/v1. */
  baseUrl: string;
  /** The model name the server expects. */
  model: string;
  /** Sent as a Bearer token. Defaults to none (local servers). */
  apiKey?: string;
  /** Upper bound on one request, in ms. Defaults to 120000. */
  timeoutMs?: number;
}

interface StreamChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string };
}

/**
 * A model behind the OpenAI-compatible chat completions API (llama.cpp
 * server, vLLM, Ollama, a cloud), streamed with server-sent events.
 */
export class OpenAiBackend implements ModelBackend {
  readonly kind = 'remote';
  readonly name: string;
  private readonly endpoint: string;
  private readonly options: OpenAiBackendOptions;
  private disposed = false;

  constructor(options: OpenAiBackendOptions) {
    this.options = options;
    this.name = options.model;
    this.endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  status(): ModelStatus {
    if (this.disposed) throw disposedError();
    return { state: 'ready', backend: 'remote', name: this.name };
  }

  async load(): Promise<void> {
    if (this.disposed) throw disposedError();
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    if (this.disposed) throw disposedError();
    const started = performance.now();
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 120_000);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const body = {
      model: this.options.model,
      messages: [
        { role: 'system', content: request.system },
        { role: 'user', content: request.user },
      ],
      max_tokens: request.maxTokens,
      stream: true,
      stream_options: { include_usage: true },
      ...(request.jsonSchema
        ? {
            response_format: {
              type: 'json_schema',
              json_schema: { name: 'answer', strict: true, schema: request.jsonSchema },
            },
          }
        : {}),
    };
    let text = '';
    let completionTokens = 0;
    let promptTokens = 0;
    let finish: string | null | undefined;
    let firstTextMs: number | undefined;
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify(body),
        signal,
      });
      if (!response.ok || !response.body) {
        throw remoteError(
          `${this.endpoint} answered HTTP ${response.status}: ${await errorMessage(response)}`,
        );
      }
      for await (const data of readEvents(response.body)) {
        if (data === '[DONE]') break;
        const chunk = parseChunk(data);
        if (chunk.error)
          throw remoteError(`the remote model failed: ${chunk.error.message ?? 'no reason given'}`);
        if (chunk.usage) {
          promptTokens = chunk.usage.prompt_tokens ?? promptTokens;
          completionTokens = chunk.usage.completion_tokens ?? completionTokens;
        }
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        finish = choice.finish_reason ?? finish;
        const piece = choice.delta?.content;
        if (piece) {
          text += piece;
          firstTextMs ??= performance.now() - started;
          // Servers send about one token per event; usage at the end gives the exact count.
          completionTokens += 1;
          request.onText?.(piece, completionTokens);
        }
      }
    } catch (error) {
      if (request.signal?.aborted)
        throw new FigmentError(ErrorCode.Cancelled, 'the generation was cancelled');
      if (timeout.aborted)
        throw remoteError(`the remote model did not finish within ${this.options.timeoutMs ?? 120_000} ms`);
      if (error instanceof FigmentError) throw error;
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw remoteError(`could not reach the remote model at ${this.endpoint}: ${cause}`);
    }
    if (finish === undefined) throw remoteError('the remote model stopped without finishing its answer');
    return {
      text,
      promptTokens,
      completionTokens,
      durationMs: Math.round(performance.now() - started),
      stopReason: finish === 'length' ? 'maxTokens' : 'eos',
      ...(firstTextMs === undefined ? {} : { firstTextMs: Math.round(firstTextMs) }),
      servedBy: 'remote',
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

/** The `data:` payloads of a server-sent event stream, one per event. */
async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    let end = buffer.search(/\r?\n\r?\n/);
    while (end !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) yield data;
      end = buffer.search(/\r?\n\r?\n/);
    }
  }
}

function parseChunk(data: string): StreamChunk {
  try {
    return JSON.parse(data) as StreamChunk;
  } catch {
    throw remoteError(`the remote model sent an event that is not JSON: ${data.slice(0, 200)}`);
  }
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    return (JSON.parse(text) as StreamChunk).error?.message ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200) || response.statusText;
  }
}

function remoteError(message: string): FigmentError {
  return new FigmentError(ErrorCode.Remote, message);
}

function disposedError(): FigmentError {
  return new FigmentError(ErrorCode.Internal, 'the remote backend has been shut down');
}
