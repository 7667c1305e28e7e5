import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type {
  ChatHistoryItem,
  GbnfJsonObjectSchema,
  Llama,
  LlamaChat,
  LlamaContext,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaLogLevel,
  LlamaModel,
  Token,
} from 'node-llama-cpp';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import type { ModelStatus } from '../../protocol/index.js';
import { checkModelFits } from './checkModelFits.js';
import { chooseThreads } from './chooseThreads.js';
import { detectHardware } from './detectHardware.js';
import { estimateModelMemory } from './estimateModelMemory.js';
import type { InputLookupSwitch } from './InputLookupSwitch.js';
import { RequestQueue } from './RequestQueue.js';
import type { GenerateRequest, GenerateResult, ModelBackend } from './types.js';

/** The part of figmentd's Logger that the model backends use. */
export interface ModelLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface LlamaBackendOptions {
  /** The GGUF file to load. */
  modelPath: string;
  /**
   * CPU threads for evaluation. Defaults to 'auto': chosen by chooseThreads()
   * from the physical core count and whether a GPU is used.
   */
  threads?: number | 'auto';
  /**
   * 'auto' uses CUDA, Vulkan or Metal when one of node-llama-cpp's prebuilt
   * binaries works on this machine, else the CPU; false always uses the CPU.
   * Defaults to 'auto'. Nothing is ever downloaded or built from source.
   */
  gpu?: 'auto' | false;
  /**
   * Tokens the model sees at once (prompt plus output). 'auto' means 4096,
   * capped at the context length the model was trained with; a number is
   * used as given, even beyond that length (with a warning). Defaults to 'auto'.
   */
  contextSize?: number | 'auto';
  /** Where load progress and llama.cpp's warnings go. Defaults to nowhere. */
  logger?: ModelLogger;
  /**
   * Unload the model after this many ms without requests, giving its memory
   * back; the next request loads it again. Defaults to never.
   */
  idleUnloadMs?: number;
}

const DEFAULT_CONTEXT_SIZE = 4096;

/** What exists once the model is loaded. */
interface Loaded {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  chat: LlamaChat;
  lookup: InputLookupSwitch;
}

type State =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; loaded: Loaded }
  | { kind: 'missing' }
  | { kind: 'error'; message: string }
  | { kind: 'disposed' };

/**
 * A local GGUF model run by node-llama-cpp. One context with one sequence:
 * requests run one at a time, and each keeps the evaluated tokens its prompt
 * shares with the previous one (the fixed system text), so that part is not
 * evaluated again.
 */
export class LlamaBackend implements ModelBackend {
  readonly kind = 'llama';
  readonly name: string;

  private readonly modelPath: string;
  private readonly threadsOption: number | 'auto';
  private readonly gpu: 'auto' | false;
  private readonly contextSize: number | 'auto';
  private readonly logger: ModelLogger | undefined;
  private readonly idleUnloadMs: number | undefined;

  private state: State = { kind: 'idle' };
  private loading: Promise<Loaded> | undefined;
  private readonly queue = new RequestQueue();
  private idleTimer: NodeJS.Timeout | undefined;
  /** Aborts the running request when the backend is disposed. */
  private readonly shutdown = new AbortController();

  constructor(options: LlamaBackendOptions) {
    this.modelPath = options.modelPath;
    this.name = basename(options.modelPath);
    this.threadsOption = options.threads ?? 'auto';
    this.gpu = options.gpu ?? 'auto';
    this.contextSize = options.contextSize ?? 'auto';
    this.logger = options.logger;
    this.idleUnloadMs = options.idleUnloadMs;
  }

  /** Whether the model is in memory now. */
  get loaded(): boolean {
    return this.state.kind === 'ready';
  }

  /** Tokens the loaded sequence holds now (prompt and output of the last request); undefined until loaded. */
  get heldTokens(): number | undefined {
    return this.state.kind === 'ready' ? this.state.loaded.sequence.nextTokenIndex : undefined;
  }

  /** Prompt-lookup statistics of the loaded sequence (tokens predicted from the input and used). */
  get lookupStats(): { validated: number; refuted: number } | undefined {
    if (this.state.kind !== 'ready') return undefined;
    const { validated, refuted } = this.state.loaded.sequence.tokenPredictions;
    return { validated, refuted };
  }

  /** Threads the loaded context evaluates with; undefined until loaded. */
  get threads(): number | undefined {
    return this.state.kind === 'ready' ? this.state.loaded.context.idealThreads : undefined;
  }

  status(): ModelStatus {
    const base = { backend: 'llama', name: this.name } as const;
    switch (this.state.kind) {
      case 'disposed':
        throw disposedError();
      case 'ready':
        return { ...base, state: 'ready' };
      case 'loading':
        return { ...base, state: 'loading', message: 'loading the model' };
      case 'error':
        return { ...base, state: 'error', message: this.state.message };
      case 'missing':
      case 'idle':
        if (!isFile(this.modelPath)) return { ...base, state: 'missing', message: this.missingMessage() };
        return { ...base, state: 'loading', message: 'the model loads when it is first needed' };
    }
  }

  load(): Promise<void> {
    if (this.state.kind === 'disposed') return Promise.reject(disposedError());
    return this.ensureLoaded().then(() => undefined);
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    if (this.state.kind === 'disposed') return Promise.reject(disposedError());
    if (request.signal?.aborted) return Promise.reject(cancelledError());
    this.cancelIdleUnload();
    return this.queue
      .run(request.priority ?? 'interactive', request.signal, () => this.run(request))
      .finally(() => this.scheduleIdleUnload());
  }

  async dispose(): Promise<void> {
    if (this.state.kind === 'disposed') return;
    this.state = { kind: 'disposed' };
    this.cancelIdleUnload();
    this.shutdown.abort();
    const loaded = await this.loading?.catch(() => undefined);
    await this.queue.whenIdle();
    if (loaded) await freeLoaded(loaded);
  }

  private cancelIdleUnload(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Once nothing is queued, unloads after idleUnloadMs; the unload itself waits its turn in the queue. */
  private scheduleIdleUnload(): void {
    if (this.idleUnloadMs === undefined || this.state.kind === 'disposed') return;
    if (this.queue.running || this.queue.pending > 0) return;
    this.cancelIdleUnload();
    this.idleTimer = setTimeout(() => {
      void this.queue
        .run('background', undefined, () => this.unloadIfIdle())
        .catch((error: unknown) => {
          this.logger?.warn('could not unload the idle model', { error });
        });
    }, this.idleUnloadMs);
    this.idleTimer.unref();
  }

  private async unloadIfIdle(): Promise<void> {
    if (this.state.kind !== 'ready' || this.queue.pending > 0) return;
    const { loaded } = this.state;
    this.state = { kind: 'idle' };
    this.loading = undefined;
    await freeLoaded(loaded);
    this.logger?.info('model unloaded after being idle', { model: this.name, idleMs: this.idleUnloadMs });
  }

  private missingMessage(): string {
    return (
      `No language model is installed: there is no file at ${this.modelPath}. ` +
      'Copy a GGUF model file there, or start Figment with FIGMENT_MODEL_PATH=/path/to/model.gguf. ' +
      'The README\'s "Models" section says which models work well.'
    );
  }

  /** Concurrent callers share one load; a failed load may be retried (the file may have appeared since). */
  private ensureLoaded(): Promise<Loaded> {
    if (!this.loading) {
      this.state = { kind: 'loading' };
      this.loading = this.loadModel().then(
        (loaded) => {
          if (this.state.kind !== 'disposed') this.state = { kind: 'ready', loaded };
          return loaded;
        },
        (error: unknown) => {
          this.loading = undefined;
          const coded = FigmentError.from(error, ErrorCode.ModelLoad);
          if (this.state.kind !== 'disposed') {
            this.state =
              coded.code === ErrorCode.NoModel
                ? { kind: 'missing' }
                : { kind: 'error', message: coded.message };
          }
          throw coded;
        },
      );
    }
    return this.loading;
  }

  private async loadModel(): Promise<Loaded> {
    if (!isFile(this.modelPath)) throw new FigmentError(ErrorCode.NoModel, this.missingMessage());
    const started = performance.now();
    const { getLlama, LlamaChat, LlamaLogLevel } = await import('node-llama-cpp');
    let llama: Llama | undefined;
    try {
      llama = await getLlama({
        gpu: this.gpu,
        // Use only the prebuilt binaries in node_modules: never download or compile on a kiosk.
        build: 'never',
        logLevel: LlamaLogLevel.warn,
        logger: (level, message) => this.logLlama(level, message),
      });
      const threads =
        this.threadsOption === 'auto'
          ? chooseThreads({ physicalCores: (await detectHardware()).physicalCores, gpu: llama.gpu })
          : this.threadsOption;
      // node-llama-cpp's own default (4 or more) oversubscribes small machines; see chooseThreads.
      llama.maxThreads = threads;
      await this.checkFits(llama);
      const model = await llama.loadModel({ modelPath: this.modelPath });
      const contextSize =
        this.contextSize === 'auto'
          ? Math.min(DEFAULT_CONTEXT_SIZE, model.trainContextSize)
          : this.contextSize;
      if (contextSize > model.trainContextSize) {
        this.logger?.warn('context is longer than the model was trained for; output may degrade', {
          contextSize,
          trainContextSize: model.trainContextSize,
        });
      }
      const context = await model.createContext({ contextSize, sequences: 1, threads });
      const { InputLookupSwitch } = await import('./InputLookupSwitch.js');
      const lookup = new InputLookupSwitch();
      const sequence = context.getSequence({ tokenPredictor: lookup });
      // 'auto' follows the GGUF's chat template, or node-llama-cpp's best match when it has none.
      const chat = new LlamaChat({ contextSequence: sequence });
      this.logger?.info('model loaded', {
        model: this.name,
        gpu: llama.gpu,
        threads: context.idealThreads,
        contextSize: context.contextSize,
        chatWrapper: chat.chatWrapper.wrapperName,
        ms: Math.round(performance.now() - started),
      });
      return { llama, model, context, sequence, chat, lookup };
    } catch (error) {
      await llama?.dispose().catch(() => undefined);
      if (error instanceof FigmentError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new FigmentError(
        ErrorCode.ModelLoad,
        `could not load the model at ${this.modelPath}: ${message}`,
      );
    }
  }

  /**
   * Refuses, before loading, a model that would not fit in RAM plus VRAM
   * beside the system; llama.cpp itself would fail late or swap the kiosk to a halt.
   */
  private async checkFits(llama: Llama): Promise<void> {
    const contextSize = this.contextSize === 'auto' ? DEFAULT_CONTEXT_SIZE : this.contextSize;
    const estimate = await estimateModelMemory(llama, this.modelPath, contextSize);
    const { totalMemoryBytes } = await detectHardware();
    const gpuMemoryBytes = llama.gpu === false ? 0 : (await llama.getVramState()).total;
    checkModelFits(`The model ${this.name}`, estimate.totalBytes, { totalMemoryBytes, gpuMemoryBytes });
  }

  private logLlama(level: LlamaLogLevel, message: string): void {
    const text = message.trim();
    const fields = { source: 'llama.cpp' };
    const name: string = level;
    if (name === 'fatal' || name === 'error') this.logger?.error(text, fields);
    else if (name === 'warn') this.logger?.warn(text, fields);
    else this.logger?.debug(text, fields);
  }

  private async run(request: GenerateRequest): Promise<GenerateResult> {
    if (this.state.kind === 'disposed') throw disposedError();
    const { llama, model, sequence, chat, lookup } = await this.ensureLoaded();
    const started = performance.now();
    const signal = request.signal
      ? AbortSignal.any([request.signal, this.shutdown.signal])
      : this.shutdown.signal;

    // System first: the chat wrapper renders it at the start, so consecutive
    // requests with the same system text share their first tokens.
    const history: ChatHistoryItem[] = [
      { type: 'system', text: request.system },
      { type: 'user', text: request.user },
      { type: 'model', response: [] },
    ];
    const promptTokens = chat.chatWrapper
      .generateContextState({ chatHistory: history })
      .contextText.tokenize(model.tokenizer);
    // Past the context, node-llama-cpp would silently drop the start of the
    // prompt (the system text); refuse instead, and bound the output to what fits.
    const room = sequence.contextSize - promptTokens.length - 1;
    if (room < 1) {
      throw new FigmentError(
        ErrorCode.Limit,
        `the prompt is ${promptTokens.length} tokens and leaves no room in the model's context of ${sequence.contextSize} tokens`,
      );
    }
    const maxTokens = Math.min(request.maxTokens, room);
    const grammar = request.jsonSchema ? await createGrammar(llama, request.jsonSchema) : undefined;

    lookup.enabled = request.reusesInput === true;
    const meterBefore = sequence.tokenMeter.getState();
    let completionTokens = 0;
    let firstTextMs: number | undefined;
    try {
      const response = await chat.generateResponse(history, {
        maxTokens,
        signal,
        ...(grammar ? { grammar } : {}),
        onResponseChunk: (chunk) => {
          if (chunk.type !== undefined) return; // thoughts and other segments are not the answer
          completionTokens += chunk.tokens.length;
          firstTextMs ??= performance.now() - started;
          if (chunk.text) request.onText?.(chunk.text, completionTokens);
        },
      });
      return {
        text: response.response,
        promptTokens: promptTokens.length,
        completionTokens,
        durationMs: Math.round(performance.now() - started),
        stopReason: response.metadata.stopReason === 'maxTokens' ? 'maxTokens' : 'eos',
        // The meter counts input tokens actually evaluated; generated tokens count as output.
        evaluatedPromptTokens: sequence.tokenMeter.diff(meterBefore).usedInputTokens,
        ...(firstTextMs === undefined ? {} : { firstTextMs: Math.round(firstTextMs * 10) / 10 }),
      };
    } catch (error) {
      await this.freeGenerated(sequence, promptTokens);
      if (signal.aborted) {
        throw this.shutdown.signal.aborted
          ? new FigmentError(ErrorCode.Cancelled, 'the model was shut down during generation')
          : cancelledError();
      }
      throw FigmentError.from(error, ErrorCode.Internal);
    }
  }

  /**
   * Erases what a failed or cancelled request left in the sequence after its
   * prompt, so the next request starts clean but keeps the shared prefix.
   */
  private async freeGenerated(sequence: LlamaContextSequence, promptTokens: Token[]): Promise<void> {
    try {
      const { firstDifferentIndex } = sequence.compareContextTokens(promptTokens);
      if (firstDifferentIndex < sequence.nextTokenIndex) {
        await sequence.eraseContextTokenRanges([
          { start: firstDifferentIndex, end: sequence.nextTokenIndex },
        ]);
      }
    } catch (error) {
      this.logger?.warn('could not trim the context after a failed request; clearing it', { error });
      await sequence.clearHistory();
    }
  }
}

async function createGrammar(llama: Llama, schema: Readonly<Record<string, unknown>>): Promise<LlamaGrammar> {
  try {
    // The schema's shape is only known at run time; node-llama-cpp checks it as it builds the grammar.
    return await llama.createGrammarForJsonSchema(schema as unknown as GbnfJsonObjectSchema);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FigmentError(ErrorCode.Internal, `the JSON schema cannot be turned into a grammar: ${message}`);
  }
}

async function freeLoaded(loaded: Loaded): Promise<void> {
  loaded.chat.dispose({ disposeSequence: true });
  await loaded.context.dispose();
  await loaded.model.dispose();
  await loaded.llama.dispose();
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function cancelledError(): FigmentError {
  return new FigmentError(ErrorCode.Cancelled, 'the generation was cancelled');
}

function disposedError(): FigmentError {
  return new FigmentError(ErrorCode.Internal, 'the model backend has been shut down');
}
