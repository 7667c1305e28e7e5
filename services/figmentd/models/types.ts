import type { ModelStatus } from '../../protocol/index.js';

/** One request to a model: a system text and a user text, optionally constrained. */
export interface GenerateRequest {
  /** Fixed instructions; kept first so a backend can reuse its evaluated prefix. */
  system: string;
  /** The part that changes per request (the person's intent and context). */
  user: string;
  /**
   * A JSON schema (node-llama-cpp's GBNF JSON schema subset) the output must
   * match. Omitted: free text.
   */
  jsonSchema?: Readonly<Record<string, unknown>>;
  /** Upper bound on generated tokens. */
  maxTokens: number;
  /** Aborting rejects the promise with FigmentError(Cancelled) and frees the sequence. */
  signal?: AbortSignal;
  /** Called with each new piece of text and the number of tokens generated so far. */
  onText?: (chunk: string, tokensSoFar: number) => void;
}

export interface GenerateResult {
  text: string;
  promptTokens: number;
  completionTokens: number;
  durationMs: number;
  stopReason: 'eos' | 'maxTokens';
}

/** What figmentd needs of a model, whether a local GGUF or a scripted test double. */
export interface ModelBackend {
  readonly kind: 'llama' | 'scripted';
  /** A name for records and the shell (e.g. the GGUF file name). */
  readonly name: string;
  status(): ModelStatus;
  /** Loads the model if it is not loaded yet; safe to call many times. */
  load(): Promise<void>;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Frees the model; any later call throws. */
  dispose(): Promise<void>;
}
