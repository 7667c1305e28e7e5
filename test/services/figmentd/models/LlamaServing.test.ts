import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlamaBackend } from '../../../../services/figmentd/models/LlamaBackend.js';
import type { GenerateRequest } from '../../../../services/figmentd/models/types.js';
import { ErrorCode } from '../../../../services/protocol/errors.js';
import { testModelPath } from '../../../support/testModels.js';

const SYSTEM =
  'Once upon a time there was a little girl named Lily. She loved to play in the park with her friends. '.repeat(
    4,
  );

function request(user: string, extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return { system: SYSTEM, user, maxTokens: 24, ...extra };
}

describe('LlamaBackend serving on stories260K', () => {
  let backend: LlamaBackend;

  beforeAll(async () => {
    backend = new LlamaBackend({
      modelPath: testModelPath('stories260K.gguf'),
      gpu: false,
      threads: 1,
      contextSize: 1024,
    });
    await backend.load();
  });

  afterAll(async () => {
    await backend?.dispose();
  });

  it('evaluates the shared system text once: the second request evaluates only what differs', async () => {
    const first = await backend.generate(request('Tell me a story about a cat'));
    const second = await backend.generate(request('Tell me a story about a dog'));
    // From scratch all of the prompt is evaluated (the last token is counted with the output).
    expect(first.evaluatedPromptTokens).toBeGreaterThanOrEqual(first.promptTokens - 1);
    expect(second.promptTokens).toBeGreaterThan(50);
    // Only the user text's differing tail and the chat wrapper's closing tokens are evaluated.
    expect(second.evaluatedPromptTokens).toBeGreaterThan(0);
    expect(second.evaluatedPromptTokens).toBeLessThan(12);
  });

  it('frees what a request cancelled mid-stream generated, keeping the shared prefix', async () => {
    await backend.generate(request('Tell me a story about a bird'));
    const controller = new AbortController();
    let chunks = 0;
    const cancelled = backend.generate(
      request('Tell me a long story about a frog', {
        maxTokens: 500,
        signal: controller.signal,
        onText: () => {
          chunks += 1;
          if (chunks === 5) controller.abort();
        },
      }),
    );
    await expect(cancelled).rejects.toMatchObject({ code: ErrorCode.Cancelled });
    const held = backend.heldTokens;
    // The same prompt again: it is reused whole, so the sequence held exactly the prompt.
    const next = await backend.generate(request('Tell me a long story about a frog'));
    expect(held).toBe(next.promptTokens);
    expect(next.evaluatedPromptTokens).toBe(0);
    expect(next.completionTokens).toBeGreaterThan(0);
  });

  it('serves interactive requests before background requests that queued earlier', async () => {
    const order: string[] = [];
    const done = (name: string) => () => {
      if (!order.includes(name)) order.push(name);
    };
    const running = backend.generate(request('Tell me a story', { onText: done('running') }));
    const background = backend.generate(
      request('A story about a tree', { priority: 'background', onText: done('background') }),
    );
    const interactive = backend.generate(request('A story about a boat', { onText: done('interactive') }));
    await Promise.all([running, background, interactive]);
    expect(order).toEqual(['running', 'interactive', 'background']);
  });

  it('predicts tokens from the input only for requests that reuse it', async () => {
    const story = 'Lily saw a big red ball. She wanted to play with the ball. The ball was red and big.';
    const before = backend.lookupStats;
    await backend.generate(request(story, { maxTokens: 60 }));
    const plain = backend.lookupStats;
    expect(plain).toEqual(before);
    await backend.generate(request(story, { maxTokens: 60, reusesInput: true }));
    const after = backend.lookupStats;
    if (!after || !plain) throw new Error('the model should be loaded');
    expect(after.validated + after.refuted).toBeGreaterThan(plain.validated + plain.refuted);
  });
});

describe('LlamaBackend memory', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'figment-serving-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('unloads after the configured idle time and loads again on the next request', async () => {
    const backend = new LlamaBackend({
      modelPath: testModelPath('stories260K.gguf'),
      gpu: false,
      threads: 1,
      contextSize: 512,
      idleUnloadMs: 100,
    });
    try {
      await backend.generate(request('Tell me a story', { maxTokens: 4 }));
      expect(backend.loaded).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(backend.loaded).toBe(false);
      const again = await backend.generate(request('Tell me a story', { maxTokens: 4 }));
      expect(again.completionTokens).toBeGreaterThan(0);
      // A fresh context: nothing is reused from before the unload.
      expect(again.evaluatedPromptTokens).toBeGreaterThanOrEqual(again.promptTokens - 1);
    } finally {
      await backend.dispose();
    }
  });

  it('refuses a model larger than this machine’s memory with ModelTooLarge, before loading it', async () => {
    // A real GGUF header followed by a sparse tail: the file is twice the RAM, the disk holds 1 MB.
    const modelPath = join(dir, 'huge.gguf');
    writeFileSync(modelPath, readFileSync(testModelPath('stories260K.gguf')));
    const fd = openSync(modelPath, 'r+');
    try {
      const { ftruncateSync } = await import('node:fs');
      ftruncateSync(fd, totalmem() * 2);
    } finally {
      closeSync(fd);
    }
    const backend = new LlamaBackend({ modelPath, gpu: false, threads: 1 });
    try {
      await expect(backend.load()).rejects.toMatchObject({
        code: ErrorCode.ModelTooLarge,
        message: expect.stringContaining('figment models list'),
      });
      expect(backend.status()).toMatchObject({
        state: 'error',
        message: expect.stringContaining('huge.gguf needs about'),
      });
    } finally {
      await backend.dispose();
    }
  });
});
