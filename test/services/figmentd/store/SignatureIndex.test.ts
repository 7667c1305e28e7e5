import { describe, expect, it } from 'vitest';
import { SIGNATURE_BITS, SignatureIndex } from '../../../../services/figmentd/store/SignatureIndex.js';
import { seededRandom } from './killedWriter.js';

/** A random vector: dense (as a model's) or sparse and non-negative (as HashingEmbedder's). */
function randomVector(dimensions: number, kind: 'dense' | 'sparse', random: () => number): Float32Array {
  const vector = new Float32Array(dimensions);
  if (kind === 'dense') for (let i = 0; i < dimensions; i++) vector[i] = random() * 2 - 1;
  else {
    for (let n = 0; n < 30; n++) {
      const slot = Math.floor(random() * dimensions);
      vector[slot] = (vector[slot] as number) + 1 + random();
    }
  }
  return vector;
}

/** The query moved part of the way towards a random vector: cosine about 0.5 to 0.95 with it. */
function near(query: Float32Array, kind: 'dense' | 'sparse', random: () => number): Float32Array {
  const other = randomVector(query.length, kind, random);
  const share = 0.2 + random() * 0.5;
  return query.map((x, i) => x * (1 - share) + (other[i] as number) * share);
}

describe('SignatureIndex', () => {
  for (const kind of ['dense', 'sparse'] as const) {
    it(`finds what is clearly near (${kind} vectors) among its 400 nearest signatures of 5,000`, () => {
      const random = seededRandom(7);
      const index = new SignatureIndex(384);
      for (let rowid = 0; rowid < 5_000; rowid++) {
        index.set(rowid, index.sign(randomVector(384, kind, random)));
      }
      let found = 0;
      const queries = 10;
      for (let q = 0; q < queries; q++) {
        const query = randomVector(384, kind, random);
        // Ten apps close to this query, among the 5,000 unrelated ones.
        const planted = Array.from({ length: 10 }, (_, i) => 10_000 + q * 10 + i);
        for (const rowid of planted) index.set(rowid, index.sign(near(query, kind, random)));
        const coarse = new Set(index.nearest(index.sign(query), 400));
        expect(coarse.size).toBe(400);
        found += planted.filter((rowid) => coarse.has(rowid)).length;
        for (const rowid of planted) index.delete(rowid);
      }
      expect(found / (queries * 10)).toBeGreaterThanOrEqual(0.98);
    });
  }

  it('signs the same vector the same way in every instance, in SIGNATURE_BITS bits', () => {
    const vector = Float32Array.from({ length: 16 }, (_, i) => Math.sin(i));
    const signature = new SignatureIndex(16).sign(vector);
    expect(signature.byteLength).toBe(SIGNATURE_BITS / 8);
    expect(new SignatureIndex(16).sign(vector)).toEqual(signature);
    expect(new SignatureIndex(16).sign(vector.map((x) => -x))).not.toEqual(signature);
  });

  it('replaces and forgets entries, and never returns a forgotten one', () => {
    const index = new SignatureIndex(4);
    const near = index.sign(Float32Array.of(1, 0, 0, 0));
    const far = index.sign(Float32Array.of(-1, 0, 0, 0));
    for (let rowid = 1; rowid <= 5; rowid++) index.set(rowid, far);
    index.set(3, near);
    expect(index.size).toBe(5);
    expect(index.nearest(near, 1)).toEqual([3]);
    // Fewer entries than asked for: all of them.
    expect(index.nearest(near, 10).sort()).toEqual([1, 2, 3, 4, 5]);

    index.delete(3);
    index.delete(42);
    expect(index.size).toBe(4);
    expect(index.nearest(near, 10).sort()).toEqual([1, 2, 4, 5]);
    index.set(5, near);
    expect(index.nearest(near, 1)).toEqual([5]);
    index.clear();
    expect(index.nearest(near, 10)).toEqual([]);
  });
});
