import type { ModelStatus } from '../../protocol/index.js';

/**
 * Who is waiting: 'interactive' work (a person is watching) runs before
 * 'background' work (embeddings, precomputation) that was queued earlier.
 */
export type RequestPriority = 'interactive' | 'background';

/**
 * Whether a request may leave the machine: 'private' never does; 'shareable'
 * may go to a configured remote model when the routing policy allows it.
 */
export type PrivacyLabel = 'private' | 'shareable';

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
  /** Queue priority. Defaults to 'interactive'. */
  priority?: RequestPriority;
  /** Defaults to 'private': nothing leaves the machine unless the request says it may. */
  privacy?: PrivacyLabel;
  /**
   * The output will largely repeat the user text (an edit of an existing
   * app): the local backend predicts tokens from the input (prompt-lookup
   * decoding). Defaults to false.
   */
  reusesInput?: boolean;
  /**
   * Called when the backend changes course mid-request, e.g. a remote model
   * failed and the local one starts over: text streamed so far is void.
   */
  onNotice?: (message: string) => void;
}

export interface GenerateResult {
  text: string;
  promptTokens: number;
  completionTokens: number;
  durationMs: number;
  stopReason: 'eos' | 'maxTokens';
  /**
   * Prompt tokens the model actually evaluated for this request; the rest
   * of `promptTokens` came from the reused prefix. Absent where unknown.
   */
  evaluatedPromptTokens?: number;
  /** Milliseconds from the start of the request to the first generated text. */
  firstTextMs?: number;
  /** Which backend answered ('llama', 'remote', …). Absent: the one asked. */
  servedBy?: string;
  /** Plain words about something a person should know (e.g. a remote fallback). */
  notice?: string;
}

/** What figmentd needs of a model, whether local, remote or a scripted test double. */
export interface ModelBackend {
  readonly kind: 'llama' | 'scripted' | 'remote';
  /** A name for records and the shell (e.g. the GGUF file name). */
  readonly name: string;
  status(): ModelStatus;
  /** Loads the model if it is not loaded yet; safe to call many times. */
  load(): Promise<void>;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Frees the model; any later call throws. */
  dispose(): Promise<void>;
}

/** Turns texts into vectors for the context store's semantic search. */
export interface Embedder {
  /** Length of every vector `embed` returns. */
  readonly dimensions: number;
  /** One vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
