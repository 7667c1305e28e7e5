import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextStore } from '../../services/figmentd/store/ContextStore.js';
import { tempDir, versionRecord } from '../services/figmentd/store/fixtures.js';
import { LlamaEmbedder } from '../support/LlamaEmbedder.js';
import { testModelPath } from '../support/testModels.js';

/**
 * The store's meaning path on a real GGUF embedding context (node-llama-cpp):
 * stories260K's 64-number vectors are weak, so this checks the plumbing — real
 * vectors written, searched, merged with words and forgotten — not their sense.
 */
describe('context store search with a real GGUF embedder', () => {
  let embedder: LlamaEmbedder;
  let temp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    embedder = await LlamaEmbedder.load(testModelPath('stories260K.gguf'));
    temp = tempDir();
  });
  afterAll(async () => {
    await embedder?.dispose();
    temp?.remove();
  });

  it('indexes every app as a vector, finds by words and meaning, and forgets the vector too', {
    timeout: 120_000,
  }, async () => {
    const path = join(temp.dir, 'figment.db');
    const store = ContextStore.open({ path, embedder, minSimilarity: -1 });
    try {
      const budget = store.createApp(
        versionRecord('Budget tracker', { intent: 'track my money each month' }),
      );
      store.createApp(versionRecord('Habit tracker', { intent: 'keep my daily streaks' }));
      store.createApp(versionRecord('Weather board', { intent: 'show the forecast' }));

      const hits = await store.search('budget tracker');
      expect(embedder.dimensions).toBe(64);
      expect(hits[0]?.app.id).toBe(budget.app.id);
      expect(hits[0]?.reason).toMatch(/"budget" in the name.*close in meaning \(similarity -?\d\.\d\d\)/);
      // With no similarity floor every app comes back by meaning, each with a real similarity.
      expect(hits).toHaveLength(3);
      for (const hit of hits) expect(hit.similarity).toBeGreaterThanOrEqual(-1);
      for (const hit of hits) expect(hit.similarity).toBeLessThanOrEqual(1.0001);

      store.forgetApp(budget.app.id);
      expect((await store.search('budget tracker')).map((hit) => hit.app.id)).not.toContain(budget.app.id);
    } finally {
      store.dispose();
    }
    const db = new Database(path, { readonly: true });
    sqliteVec.load(db);
    try {
      expect(db.prepare('SELECT count(*) FROM app_embeddings').pluck().get()).toBe(2);
      expect(db.prepare('SELECT embedder, dimensions FROM vector_meta').get()).toEqual({
        embedder: 'stories260K.gguf',
        dimensions: 64,
      });
    } finally {
      db.close();
    }
  });
});
