import { createHash } from 'node:crypto';
import type { Embedder } from '../../services/figmentd/store/types.js';

/**
 * A STAND-IN for a real embedding model, for tests and benchmarks only.
 *
 * No embedding GGUF small enough for this repository's tests could be found
 * (see ../shared/models/SOURCES.md, "Not found"), so this speaks the real
 * Embedder interface deterministically: character trigrams of each word are
 * hashed into the vector (spelling closeness), and a small hand-written list
 * of related words ("budget", "expense", "spending"…) shares one direction per
 * topic, imitating what a trained model learns. It tests the store's vector
 * path (indexing, sqlite-vec search, merging, forgetting), not the quality of
 * any model's sense of meaning.
 */
export class HashingEmbedder implements Embedder {
  readonly name: string;
  readonly dimensions: number;
  /** How many times embed() was called, and with how many texts in all. */
  calls = 0;
  texts = 0;

  constructor(dimensions = 256, name = 'hashing-stand-in') {
    this.dimensions = dimensions;
    this.name = name;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls++;
    this.texts += texts.length;
    return texts.map((text) => this.#embedOne(text));
  }

  #embedOne(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      const topic = topicOf.get(word);
      if (topic !== undefined) this.#add(vector, `topic:${topic}`, 3);
      const padded = `#${word}#`;
      for (let i = 0; i + 3 <= padded.length; i++) this.#add(vector, padded.slice(i, i + 3), 1);
    }
    let norm = 0;
    for (const x of vector) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return vector.map((x) => x / norm);
  }

  #add(vector: Float32Array, feature: string, amount: number): void {
    const slot = createHash('md5').update(feature).digest().readUInt32LE(0) % this.dimensions;
    vector[slot] = (vector[slot] ?? 0) + amount;
  }
}

const topics: Record<string, string[]> = {
  money: [
    'budget',
    'budgets',
    'expense',
    'expenses',
    'spending',
    'spend',
    'money',
    'cost',
    'costs',
    'finance',
    'bills',
  ],
  tasks: ['todo', 'task', 'tasks', 'chores', 'errands'],
  weather: ['weather', 'forecast', 'rain', 'temperature'],
  habits: ['habit', 'habits', 'routine', 'streak', 'streaks'],
  food: ['recipe', 'recipes', 'cooking', 'meal', 'meals'],
};
const topicOf = new Map(
  Object.entries(topics).flatMap(([topic, words]) => words.map((word) => [word, topic])),
);
