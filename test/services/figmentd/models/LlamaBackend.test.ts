import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chooseThreads } from '../../../../services/figmentd/models/chooseThreads.js';
import { detectHardware } from '../../../../services/figmentd/models/detectHardware.js';
import { LlamaBackend } from '../../../../services/figmentd/models/LlamaBackend.js';
import type { GenerateRequest } from '../../../../services/figmentd/models/types.js';
import { ErrorCode, FigmentError } from '../../../../services/protocol/errors.js';
import { testModelPath } from '../../../support/testModels.js';

const SYSTEM = 'You write small apps for a kiosk. Answer with one JSON object.';

/**
 * The app-bundle shape. maxLength/maxItems bound what the grammar allows, so
 * a model that rambles inside a string still closes it and the object.
 */
const bundleSchema = {
  type: 'object',
  properties: {
    manifest: {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 60 },
        description: { type: 'string', maxLength: 120 },
        capabilities: { type: 'array', items: { enum: ['storage'] }, maxItems: 1 },
      },
    },
    html: { type: 'string', maxLength: 400 },
  },
} as const;

const Bundle = z.strictObject({
  manifest: z.strictObject({
    name: z.string().max(60),
    description: z.string().max(120),
    capabilities: z.array(z.enum(['storage'])).max(1),
  }),
  html: z.string().max(400),
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FigmentError) return error.code;
    throw error;
  }
  throw new Error('expected the promise to reject');
}

function request(user: string, extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return { system: SYSTEM, user, maxTokens: 200, ...extra };
}

/** A logger that keeps what the backend reports as going wrong. */
function recordingLogger(problems: string[]) {
  const keep = (msg: string) => problems.push(msg);
  return { debug: () => {}, info: () => {}, warn: keep, error: keep };
}

describe('LlamaBackend on stories260K', () => {
  let backend: LlamaBackend;
  const problems: string[] = [];

  beforeAll(async () => {
    backend = new LlamaBackend({
      modelPath: testModelPath('stories260K.gguf'),
      gpu: false,
      contextSize: 2048,
      logger: recordingLogger(problems),
    });
    await backend.load();
  });

  afterAll(async () => {
    await backend?.dispose();
  });

  it('loads and reports ready under the file name', () => {
    expect(backend.status()).toEqual({ state: 'ready', backend: 'llama', name: 'stories260K.gguf' });
    expect(backend.kind).toBe('llama');
  });

  it('evaluates with the thread count chosen from the physical cores', async () => {
    const { physicalCores } = await detectHardware();
    expect(backend.threads).toBe(chooseThreads({ physicalCores, gpu: false }));
  });

  it('constrains output to a JSON schema', async () => {
    const result = await backend.generate(
      request('Make a to-do list that sorts by urgency', { jsonSchema: bundleSchema, maxTokens: 1200 }),
    );
    expect(result.stopReason).toBe('eos');
    expect(() => Bundle.parse(JSON.parse(result.text))).not.toThrow();
    expect(result.completionTokens).toBeGreaterThan(0);
    expect(result.promptTokens).toBeGreaterThan(0);
  });

  it('streams chunks that add up to the final text, with a running token count', async () => {
    const chunks: string[] = [];
    const counts: number[] = [];
    const result = await backend.generate(
      request('Tell a story about a cat', {
        maxTokens: 60,
        onText: (chunk, tokensSoFar) => {
          chunks.push(chunk);
          counts.push(tokensSoFar);
        },
      }),
    );
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(result.text);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBe(result.completionTokens);
    expect(result.completionTokens).toBeLessThanOrEqual(60);
  });

  it("counts prompt tokens with the model's tokenizer", async () => {
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
    const vocab = await llama.loadModel({ modelPath: testModelPath('stories260K.gguf'), vocabOnly: true });
    try {
      const short = 'Make a list';
      const long = 'Make a list of cats and dogs and birds';
      const a = await backend.generate(request(short, { maxTokens: 2 }));
      const b = await backend.generate(request(long, { maxTokens: 2 }));
      expect(b.promptTokens - a.promptTokens).toBe(
        vocab.tokenize(long).length - vocab.tokenize(short).length,
      );
    } finally {
      await vocab.dispose();
      await llama.dispose();
    }
  });

  it('rejects an aborted request as Cancelled and then serves the next one', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const aborted = backend.generate(
      request('Tell a long story', {
        maxTokens: 1000,
        signal: controller.signal,
        onText: () => {
          chunks += 1;
          if (chunks === 3) controller.abort();
        },
      }),
    );
    expect(await codeOf(aborted)).toBe(ErrorCode.Cancelled);
    expect(chunks).toBe(3);

    const next = await backend.generate(request('Tell a story about a dog', { maxTokens: 20 }));
    expect(next.text.length).toBeGreaterThan(0);
    expect(problems.filter((msg) => msg.includes('could not trim'))).toEqual([]);
    expect(backend.status().state).toBe('ready');
  });

  it('refuses a request whose signal is already aborted', async () => {
    expect(await codeOf(backend.generate(request('hi', { signal: AbortSignal.abort() })))).toBe(
      ErrorCode.Cancelled,
    );
  });

  it('runs one request at a time and drops a queued request when it is aborted', async () => {
    const events: string[] = [];
    const first = backend.generate(
      request('Tell a story about a bird', { maxTokens: 40, onText: () => events.push('first') }),
    );
    const waiting = new AbortController();
    const dropped = backend.generate(
      request('Tell a story about a fish', {
        maxTokens: 40,
        signal: waiting.signal,
        onText: () => events.push('dropped'),
      }),
    );
    const second = backend.generate(
      request('Tell a story about a frog', { maxTokens: 40, onText: () => events.push('second') }),
    );
    waiting.abort();
    expect(await codeOf(dropped)).toBe(ErrorCode.Cancelled);
    await Promise.all([first, second]);
    expect(events).not.toContain('dropped');
    expect(events.lastIndexOf('first')).toBeLessThan(events.indexOf('second'));
  });
});

describe('LlamaBackend on a 32k-token vocabulary (llama-2-tiny-random)', () => {
  let backend: LlamaBackend;
  const infos: string[] = [];

  beforeAll(() => {
    backend = new LlamaBackend({
      modelPath: testModelPath('llama-2-tiny-random.gguf'),
      gpu: false,
      threads: 1,
      contextSize: 512,
      logger: { debug: () => {}, info: (msg) => infos.push(msg), warn: () => {}, error: () => {} },
    });
  });

  afterAll(async () => {
    await backend?.dispose();
  });

  it('shares one load between concurrent callers', async () => {
    const loads = [backend.load(), backend.load()];
    expect(backend.status().state).toBe('loading');
    await Promise.all(loads);
    await backend.load();
    expect(backend.status().state).toBe('ready');
    expect(infos.filter((msg) => msg === 'model loaded')).toHaveLength(1);
    expect(backend.threads).toBe(1);
  });

  it('keeps a rambling model inside the schema with bounded strings', async () => {
    const result = await backend.generate(
      request('Make a timer', { jsonSchema: bundleSchema, maxTokens: 480 }),
    );
    expect(result.stopReason).toBe('eos');
    expect(() => Bundle.parse(JSON.parse(result.text))).not.toThrow();
  });

  it('bounds the output by what is left of the context', async () => {
    const result = await backend.generate(request('Write forever', { maxTokens: 100_000 }));
    expect(result.promptTokens + result.completionTokens).toBeLessThan(512);
  });

  it('refuses a prompt longer than the context with a Limit error', async () => {
    expect(await codeOf(backend.generate(request('word '.repeat(2000))))).toBe(ErrorCode.Limit);
    expect((await backend.generate(request('hello', { maxTokens: 5 }))).completionTokens).toBeGreaterThan(0);
  });
});

describe('LlamaBackend without a usable model', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'figment-models-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a missing file in plain words and refuses to load with NoModel', async () => {
    const modelPath = join(dir, 'absent.gguf');
    const backend = new LlamaBackend({ modelPath });
    const status = backend.status();
    expect(status.state).toBe('missing');
    expect(status.backend).toBe('llama');
    expect(status.message).toContain(`there is no file at ${modelPath}`);
    expect(status.message).toContain('FIGMENT_MODEL_PATH');
    expect(status.message).toContain('"Models" section');
    expect(await codeOf(backend.load())).toBe(ErrorCode.NoModel);
    expect(await codeOf(backend.generate(request('hi')))).toBe(ErrorCode.NoModel);
    expect(backend.status().state).toBe('missing');
    await backend.dispose();
  });

  it('reports a file that is not a GGUF model as a ModelLoad error', async () => {
    const modelPath = join(dir, 'broken.gguf');
    writeFileSync(modelPath, 'this is not a model');
    const backend = new LlamaBackend({ modelPath, gpu: false });
    expect(await codeOf(backend.load())).toBe(ErrorCode.ModelLoad);
    expect(backend.status()).toMatchObject({ state: 'error', message: expect.stringContaining(modelPath) });
    await backend.dispose();
  });
});

describe('LlamaBackend disposal', () => {
  it('cancels the running request, frees the model and refuses later calls', async () => {
    const backend = new LlamaBackend({
      modelPath: testModelPath('stories260K.gguf'),
      gpu: false,
      threads: 1,
    });
    await backend.load();
    let disposing: Promise<void> | undefined;
    const running = backend.generate(
      request('Tell a long story', {
        maxTokens: 1000,
        onText: () => {
          disposing ??= backend.dispose();
        },
      }),
    );
    expect(await codeOf(running)).toBe(ErrorCode.Cancelled);
    await disposing;
    expect(await codeOf(backend.generate(request('hi')))).toBe(ErrorCode.Internal);
    expect(await codeOf(backend.load())).toBe(ErrorCode.Internal);
    expect(() => backend.status()).toThrow(FigmentError);
  });
});
