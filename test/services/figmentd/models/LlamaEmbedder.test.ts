import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../../../services/figmentd/models/createEmbedder.js';
import { LlamaEmbedder } from '../../../../services/figmentd/models/LlamaEmbedder.js';
import { ErrorCode } from '../../../../services/protocol/errors.js';
import { testModelPath } from '../../../support/testModels.js';

const dot = (a: Float32Array, b: Float32Array): number =>
  a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);

// stories260K is not an embedding model, but node-llama-cpp embeds with any
// GGUF: it exercises the real path (load, tokenize, embed) with a 64-wide vector.
describe('LlamaEmbedder on stories260K', () => {
  let embedder: LlamaEmbedder;

  beforeAll(async () => {
    embedder = await LlamaEmbedder.load({
      modelPath: testModelPath('stories260K.gguf'),
      gpu: false,
      threads: 1,
    });
  });

  afterAll(async () => {
    await embedder?.dispose();
  });

  it('gives one unit-length vector of the model’s width per text, in order and repeatably', async () => {
    expect(embedder.dimensions).toBe(64);
    const [cat, dog, catAgain] = await embedder.embed([
      'a cat sat on the mat',
      'a dog ran in the park',
      'a cat sat on the mat',
    ]);
    if (!cat || !dog || !catAgain) throw new Error('expected three vectors');
    expect(cat).toBeInstanceOf(Float32Array);
    expect(cat).toHaveLength(64);
    expect(dot(cat, cat)).toBeCloseTo(1, 4);
    expect(dot(cat, catAgain)).toBeCloseTo(1, 4);
    expect(dot(cat, dog)).toBeLessThan(0.999);
  });

  it('cuts a text longer than its context instead of failing', async () => {
    const [long] = await embedder.embed(['Lily went to the park. '.repeat(400)]);
    expect(long).toHaveLength(64);
  });

  it('returns no vectors for no texts, and a zero vector for an empty text', async () => {
    expect(await embedder.embed([])).toEqual([]);
    const [empty] = await embedder.embed(['']);
    expect(empty).toEqual(new Float32Array(64));
  });
});

describe('createEmbedder without an embedding model', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'figment-embedder-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is null when none is configured and the default link is absent (full-text search only)', async () => {
    expect(await createEmbedder({ explicit: false, threads: 'auto', gpu: false })).toBeNull();
    expect(
      await createEmbedder({
        path: join(dir, 'embedding.gguf'),
        explicit: false,
        threads: 'auto',
        gpu: false,
      }),
    ).toBeNull();
  });

  it('refuses a configured path that does not exist with NoEmbeddingModel', async () => {
    const path = join(dir, 'typo.gguf');
    await expect(createEmbedder({ path, explicit: true, threads: 'auto', gpu: false })).rejects.toMatchObject(
      {
        code: ErrorCode.NoEmbeddingModel,
        message: expect.stringContaining(path),
      },
    );
  });
});
